// The app's routes as mounted. Express 5 keeps no readable mount path on its layers, so every
// router is mounted through here: metrics label a request by its route pattern (never the
// raw URL, whose ids would explode the series), and a test holds docs/openapi.yaml to the
// real routes.
import type { Express, Request, RequestHandler, Response, Router } from 'express';

export interface RouteInfo {
  /** Upper case: GET, POST… */
  method: string;
  /** Express syntax, e.g. /api/match/:ticketId/events */
  path: string;
}

const tables = new WeakMap<Express, RouteTable>();

const join = (base: string, path: string) => {
  const full = `${base}${path}`;
  return full.length > 1 && full.endsWith('/') ? full.slice(0, -1) : full;
};

export class RouteTable {
  private readonly mounts: { base: string; router: Router }[] = [];

  constructor(private readonly app: Express) {
    tables.set(app, this);
  }

  /** Mounts `router` at `base` ('' for the root) and remembers where. */
  mount(base: string, router: Router): void {
    this.mounts.push({ base, router });
    const tag: RequestHandler = (_req, res, next) => {
      res.locals.routeBase = base;
      next();
    };
    if (base) this.app.use(base, tag, router);
    else this.app.use(tag, router);
  }

  routes(): RouteInfo[] {
    return this.mounts.flatMap(({ base, router }) =>
      router.stack.flatMap((layer) => {
        const route = layer.route;
        if (!route || typeof route.path !== 'string') return [];
        const methods = new Set(route.stack.map((l) => l.method.toUpperCase()));
        return [...methods].map((method) => ({ method, path: join(base, route.path) }));
      }),
    );
  }
}

/** Every route mounted through the app's RouteTable. */
export function routesOf(app: Express): RouteInfo[] {
  return tables.get(app)?.routes() ?? [];
}

/** The route pattern that answered, or `unmatched` (404s, static files). */
export function routeLabel(req: Request, res: Response): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return 'unmatched';
  return join(String(res.locals.routeBase ?? ''), path);
}
