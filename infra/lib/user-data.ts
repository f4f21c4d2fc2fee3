import { AGENT_DIR, agentConfig, PROMETHEUS_CONFIG, prometheusScrape } from './cloudwatch-agent.js';
import { DEREGISTRATION_DELAY_SECONDS, DRAIN_HOOK_NAME, HTTP_PORT } from './ports.js';

export interface BootstrapProps {
  readonly region: string;
  /** cfn-signal target: the stack and the ASG's logical id. */
  readonly stackName: string;
  readonly signalResource: string;
  readonly artifactBucket: string;
  readonly artifactKey: string;
  readonly artifactVersion: string;
  readonly autoScalingGroupName: string;
  readonly logGroupName: string;
  /** Where the agent writes the EMF records of the scraped /metrics. */
  readonly metricsLogGroupName: string;
  /** KEY=value lines of the service's EnvironmentFile (PUBLIC_IP is added at each start). */
  readonly environment: Readonly<Record<string, string>>;
  /** Settings built at boot from Secrets Manager, so no secret sits in the launch template. */
  readonly secrets: BootSecrets;
}

export interface BootSecrets {
  /** REDIS_URL = rediss://:<AUTH token>@host:port */
  readonly redis: { readonly host: string; readonly port: string; readonly tokenArn: string };
  /** TURN_SECRET, the coturn shared secret; absent without a TURN fleet. */
  readonly turnSecretArn: string | undefined;
}

/** The per-instance certificate the server serves HTTPS with (TLS_CERT_FILE, TLS_KEY_FILE). */
export const TLS_DIR = '/etc/duel/tls';
export const TLS_CERT_FILE = `${TLS_DIR}/cert.pem`;
export const TLS_KEY_FILE = `${TLS_DIR}/key.pem`;

const RELEASE_DIR = '/opt/duel/releases';
const APP_DIR = '/opt/duel/current';
const LOG_DIR = '/var/log/duel';
const AGENT_CONFIG = `${AGENT_DIR}/duel-agent.json`;

/**
 * First-boot script of a game server: install Node 22 and the CloudWatch agent, unpack the
 * release, install the systemd units, and tell CloudFormation the node is good only once
 * /readyz answers (so a bad release rolls back instead of replacing healthy nodes).
 */
export function bootstrapCommands(props: BootstrapProps): string[] {
  const signal =
    `/opt/aws/bin/cfn-signal --exit-code "$1" --stack ${props.stackName}` +
    ` --resource ${props.signalResource} --region ${props.region} || true`;
  return [
    'set -euo pipefail',
    `signal() { ${signal}; }`,
    "trap 'signal 1' ERR",
    'dnf install -y nodejs22 amazon-cloudwatch-agent aws-cfn-bootstrap logrotate openssl util-linux',
    'id -u duel >/dev/null 2>&1 || useradd --system --no-create-home --shell /sbin/nologin duel',
    `install -d -m 0755 ${RELEASE_DIR}/${props.artifactVersion} /etc/duel ${LOG_DIR}`,
    `aws s3 cp "s3://${props.artifactBucket}/${props.artifactKey}" /tmp/duel.tgz --region ${props.region} --only-show-errors`,
    `tar -xzf /tmp/duel.tgz -C ${RELEASE_DIR}/${props.artifactVersion} --no-same-owner`,
    'rm -f /tmp/duel.tgz',
    `ln -sfn ${RELEASE_DIR}/${props.artifactVersion} ${APP_DIR}`,
    writeFile('/etc/duel/server.env', envFile(props.environment), '0600'),
    ...secretSettings(props),
    ...selfSignedCertificate(),
    writeFile('/usr/local/bin/duel-server', LAUNCHER, '0755'),
    writeFile('/etc/systemd/system/duel.service', SERVER_UNIT, '0644'),
    writeFile('/usr/local/bin/duel-drain', drainScript(props), '0755'),
    writeFile('/etc/systemd/system/duel-drain.service', DRAIN_UNIT, '0644'),
    writeFile('/etc/logrotate.d/duel', LOGROTATE, '0644'),
    writeFile(PROMETHEUS_CONFIG, prometheusScrape(Number(props.environment.NODES ?? '1')), '0644'),
    writeFile(
      AGENT_CONFIG,
      agentConfig({
        logDir: LOG_DIR,
        logGroupName: props.logGroupName,
        metricsLogGroupName: props.metricsLogGroupName,
      }),
      '0644',
    ),
    `/opt/aws/amazon-cloudwatch-agent/bin/amazon-cloudwatch-agent-ctl -a fetch-config -m ec2 -s -c file:${AGENT_CONFIG}`,
    'systemctl daemon-reload',
    'systemctl enable --now duel.service duel-drain.service',
    'for _ in $(seq 1 60); do',
    // -k: the certificate is the self-signed one made above; this only asks "are you up?".
    `  if curl -fsSk -o /dev/null https://127.0.0.1:${HTTP_PORT}/readyz; then signal 0; exit 0; fi`,
    '  sleep 5',
    'done',
    'echo "duel.service never became ready" >&2',
    'signal 1',
    'exit 1',
  ];
}

/** A quoted heredoc: bash expands nothing inside, CloudFormation has already substituted. */
function writeFile(path: string, content: string, mode: string): string {
  return [`cat > ${path} <<'DUEL_EOF'`, content, 'DUEL_EOF', `chmod ${mode} ${path}`].join('\n');
}

/**
 * Appends the secret settings to the root-only env file. Plain assignments first, so a failed
 * fetch stops the script (set -e) instead of writing an empty value.
 */
function secretSettings(props: BootstrapProps): string[] {
  const { redis, turnSecretArn } = props.secrets;
  const fetch = (arn: string) =>
    `$(aws secretsmanager get-secret-value --region ${props.region} --secret-id "${arn}" --query SecretString --output text)`;
  const lines = [
    `redis_token=${fetch(redis.tokenArn)}`,
    `echo "REDIS_URL=rediss://:\${redis_token}@${redis.host}:${redis.port}" >> /etc/duel/server.env`,
  ];
  if (turnSecretArn !== undefined) {
    lines.push(
      `turn_secret=${fetch(turnSecretArn)}`,
      'echo "TURN_SECRET=${turn_secret}" >> /etc/duel/server.env',
    );
  }
  return [...lines, 'unset redis_token turn_secret'];
}

/**
 * A certificate made on this node at first boot, for the ALB -> node hop. The ALB encrypts to
 * targets but does not validate their certificates, so self-signed is enough; it never leaves
 * the node, and a replaced node makes a new one.
 */
function selfSignedCertificate(): string[] {
  return [
    `install -d -m 0750 -g duel ${TLS_DIR}`,
    `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj "/CN=$(hostname)" -keyout ${TLS_KEY_FILE} -out ${TLS_CERT_FILE}`,
    `chgrp duel ${TLS_KEY_FILE} ${TLS_CERT_FILE}`,
    `chmod 0640 ${TLS_KEY_FILE}`,
  ];
}

function envFile(environment: Readonly<Record<string, string>>): string {
  return Object.entries(environment)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n');
}

// Reads the public address at every start (IMDSv2) so ICE candidates name this node even
// if the instance ever gets a new address; the process then replaces the shell.
const LAUNCHER = `#!/bin/bash
set -euo pipefail
token=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token)
PUBLIC_IP=$(curl -fsS -H "X-aws-ec2-metadata-token: $token" http://169.254.169.254/latest/meta-data/public-ipv4)
export PUBLIC_IP
exec /usr/bin/node-22 dist/server/src/main.js`;

// The server answers SIGTERM by telling peers server_stopping, clearing its players' leases
// and exiting within 5 s; TimeoutStopSec leaves margin before systemd escalates to SIGKILL.
const SERVER_UNIT = `[Unit]
Description=Duel game server
Wants=network-online.target
After=network-online.target

[Service]
Type=simple
User=duel
Group=duel
WorkingDirectory=${APP_DIR}
EnvironmentFile=/etc/duel/server.env
ExecStart=/usr/local/bin/duel-server
KillSignal=SIGTERM
TimeoutStopSec=10
Restart=on-failure
RestartSec=2
LimitNOFILE=65536
# ROOM_RT_PRIORITY=1: the room processes may make their own threads SCHED_FIFO 1, no higher.
LimitRTPRIO=1
StandardOutput=append:${LOG_DIR}/server.log
StandardError=append:${LOG_DIR}/server.log
NoNewPrivileges=yes
ProtectSystem=strict
ProtectHome=yes
PrivateTmp=yes
PrivateDevices=yes

[Install]
WantedBy=multi-user.target`;

const DRAIN_UNIT = `[Unit]
Description=Drain the duel game server when Auto Scaling terminates this node
After=duel.service

[Service]
Type=simple
ExecStart=/usr/local/bin/duel-drain
Restart=always
RestartSec=5
StandardOutput=append:${LOG_DIR}/drain.log
StandardError=append:${LOG_DIR}/drain.log

[Install]
WantedBy=multi-user.target`;

/**
 * Polls the Auto Scaling target lifecycle state. On termination the ALB has already stopped
 * routing new requests here; drain the server (SIGUSR2: no new matches here), wait out the
 * deregistration delay, stop the server (SIGTERM),
 * then complete the "drain" hook. If anything fails, the hook's heartbeat timeout continues
 * the termination anyway.
 */
function drainScript(props: BootstrapProps): string {
  return `#!/bin/bash
set -uo pipefail
imds() {
  local token
  token=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' http://169.254.169.254/latest/api/token) || return 1
  curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"
}
until [ "$(imds autoscaling/target-lifecycle-state 2>/dev/null)" = "Terminated" ]; do sleep 5; done
# SIGUSR2 to the main process (the cluster primary passes it to every server process): no new
# matches are placed here while the running ones go on, and the other nodes keep pairing.
echo "$(date -Is) termination: draining (no new matches here)"
systemctl kill --kill-whom=main --signal=SIGUSR2 duel.service
echo "$(date -Is) letting the load balancer drain for ${DEREGISTRATION_DELAY_SECONDS}s"
sleep ${DEREGISTRATION_DELAY_SECONDS}
echo "$(date -Is) stopping duel.service"
systemctl stop duel.service
aws autoscaling complete-lifecycle-action --region ${props.region} \\
  --auto-scaling-group-name ${props.autoScalingGroupName} --lifecycle-hook-name ${DRAIN_HOOK_NAME} \\
  --instance-id "$(imds instance-id)" --lifecycle-action-result CONTINUE
echo "$(date -Is) drained"
sleep infinity`;
}

// systemd holds the log files open; copytruncate rotates them without a restart.
const LOGROTATE = `${LOG_DIR}/*.log {
  daily
  rotate 3
  maxsize 100M
  compress
  missingok
  notifempty
  copytruncate
}`;
