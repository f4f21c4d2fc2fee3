// npm run admin -- promote NAME: puts a user in the Cognito group `admin`.
// In local mode it uses the running server's emulator, or starts the local stack for the call.
import { connectAws } from './backends.js';
import { username as usernameSchema } from './auth/schemas.js';
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './logger.js';

const USAGE = 'usage: npm run admin -- promote NAME';

async function main(): Promise<number> {
  const [command, name, ...rest] = process.argv.slice(2);
  if (command !== 'promote' || !name || rest.length) {
    console.error(USAGE);
    return 2;
  }
  if (!usernameSchema.safeParse(name).success) {
    console.error(`"${name}" is not a username (3-20 characters of A-Z a-z 0-9 _ -)`);
    return 2;
  }
  const config = loadConfig();
  const logger = createLogger('warn');
  const backends =
    config.mode.kind === 'aws'
      ? await connectAws(config, logger)
      : await (await import('./local/index.js')).attachLocal(config, logger);
  try {
    await backends.idp.addToGroup(name, 'admin');
    console.log(`${name} is now in the admin group; it takes effect at their next login.`);
    return 0;
  } catch (e) {
    const code = (e as { name?: string }).name;
    console.error(
      code === 'UserNotFoundException' ? `no user named ${name}` : `promote failed: ${String(e)}`,
    );
    return 1;
  } finally {
    await backends.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof ConfigError ? `config: ${e.message}` : String(e));
    process.exit(1);
  },
);
