// The CloudWatch agent on each game server: ships the log files, host memory and disk, and
// scrapes the server's Prometheus /metrics (loopback only) into CloudWatch via EMF.
//
// Why the agent rather than EMF from the server or PutMetricData: the server already serves
// Prometheus metrics, so the agent turns them into CloudWatch metrics with no AWS code or
// credentials in the game process and no API call on the tick path; EMF log lines are
// batched by the agent, and the metrics it extracts cost the same as PutMetricData ones.
import { METRICS_PORT } from './ports.js';

export const AGENT_DIR = '/opt/aws/amazon-cloudwatch-agent/etc';
export const PROMETHEUS_CONFIG = `${AGENT_DIR}/duel-prometheus.yaml`;
/** Namespace of the metrics scraped from /metrics. */
export const ROOM_METRICS_NAMESPACE = 'Duel/Rooms';
/** Scrape job name; it becomes the `job` dimension of every scraped metric. */
export const SCRAPE_JOB = 'duel';
/**
 * Room tick lag by quantile, in milliseconds: how late ticks start against their schedule.
 * The server exports it beside duel_room_tick_duration_milliseconds (server/src/metrics).
 */
export const TICK_LAG_METRIC = 'duel_room_tick_lag_milliseconds';

/** Every server process of the node: process i of NODES serves /metrics on METRICS_PORT + i. */
export const prometheusScrape = (nodes: number) => `global:
  scrape_interval: 1m
  scrape_timeout: 10s
scrape_configs:
  - job_name: ${SCRAPE_JOB}
    static_configs:
      - targets: [${Array.from({ length: nodes }, (_, i) => `'127.0.0.1:${METRICS_PORT + i}'`).join(', ')}]`;

export function agentConfig(props: {
  readonly logDir: string;
  readonly logGroupName: string;
  readonly metricsLogGroupName: string;
}): string {
  const file = (name: string) => ({
    file_path: `${props.logDir}/${name}.log`,
    log_group_name: props.logGroupName,
    log_stream_name: `{instance_id}/${name}`,
  });
  return JSON.stringify(
    {
      agent: { metrics_collection_interval: 60, run_as_user: 'cwagent' },
      logs: {
        logs_collected: { files: { collect_list: [file('server'), file('drain')] } },
        metrics_collected: {
          prometheus: {
            log_group_name: props.metricsLogGroupName,
            prometheus_config_path: PROMETHEUS_CONFIG,
            emf_processor: {
              metric_namespace: ROOM_METRICS_NAMESPACE,
              metric_declaration_dedup: true,
              metric_declaration: [
                {
                  source_labels: ['job'],
                  label_matcher: `^${SCRAPE_JOB}$`,
                  // No instance dimension: one series for the fleet, whose Maximum is the
                  // worst node, so an alarm needs no per-instance wiring as the group scales.
                  dimensions: [['job', 'quantile']],
                  metric_selectors: [`^${TICK_LAG_METRIC}$`],
                },
              ],
            },
          },
        },
      },
      metrics: {
        namespace: 'CWAgent',
        append_dimensions: { InstanceId: '${aws:InstanceId}' },
        metrics_collected: {
          mem: { measurement: ['mem_used_percent'] },
          disk: { measurement: ['used_percent'], resources: ['/'] },
        },
      },
    },
    null,
    2,
  );
}
