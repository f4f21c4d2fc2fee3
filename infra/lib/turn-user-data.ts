import { TURN_PORT, TURN_RELAY_PORTS, TURN_TLS_PORT } from './ports.js';

export interface TurnBootstrapProps {
  readonly region: string;
  readonly secretArn: string;
  readonly poolTag: string;
  readonly poolValue: string;
}

/**
 * Peers coturn must never relay to: private, loopback, link-local (instance metadata) and
 * carrier-grade NAT ranges. Game servers are reached on public addresses only.
 */
export const DENIED_PEER_RANGES = [
  '0.0.0.0-0.255.255.255',
  '10.0.0.0-10.255.255.255',
  '100.64.0.0-100.127.255.255',
  '127.0.0.0-127.255.255.255',
  '169.254.0.0-169.254.255.255',
  '172.16.0.0-172.31.255.255',
  '192.168.0.0-192.168.255.255',
];

/**
 * First boot of a TURN node (Debian 12): install coturn, claim a free Elastic IP of the
 * fleet, make a self-signed certificate for the TLS listener, and start coturn with the
 * shared secret read from Secrets Manager (never written into the launch template).
 */
export function turnBootstrapCommands(props: TurnBootstrapProps): string[] {
  const aws = `aws --region ${props.region}`;
  return [
    'set -euo pipefail',
    'export DEBIAN_FRONTEND=noninteractive',
    'apt-get update -q',
    'apt-get install -y -q coturn awscli openssl curl',
    "token=$(curl -fsS -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 300' http://169.254.169.254/latest/api/token)",
    'imds() { curl -fsS -H "X-aws-ec2-metadata-token: $token" "http://169.254.169.254/latest/meta-data/$1"; }',
    'instance_id=$(imds instance-id)',
    'private_ip=$(imds local-ipv4)',
    // A free address of the pool; a replacement node takes the one its predecessor released.
    `read -r allocation public_ip < <(${aws} ec2 describe-addresses --filters "Name=tag:${props.poolTag},Values=${props.poolValue}" --query 'Addresses[?AssociationId==null] | [0].[AllocationId,PublicIp]' --output text)`,
    `${aws} ec2 associate-address --allocation-id "$allocation" --instance-id "$instance_id" --no-allow-reassociation`,
    `secret=$(${aws} secretsmanager get-secret-value --secret-id "${props.secretArn}" --query SecretString --output text)`,
    'install -d -m 0750 -g turnserver /etc/coturn/tls',
    'openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj "/CN=$public_ip" -keyout /etc/coturn/tls/key.pem -out /etc/coturn/tls/cert.pem',
    'chgrp turnserver /etc/coturn/tls/key.pem && chmod 0640 /etc/coturn/tls/key.pem',
    `cat > /etc/turnserver.conf <<EOF\n${coturnConfig()}\nEOF`,
    'chgrp turnserver /etc/turnserver.conf && chmod 0640 /etc/turnserver.conf',
    'unset secret',
    // Port 443 needs the bind capability; coturn runs as its own user.
    'install -d /etc/systemd/system/coturn.service.d',
    "printf '[Service]\\nAmbientCapabilities=CAP_NET_BIND_SERVICE\\n' > /etc/systemd/system/coturn.service.d/bind.conf",
    'systemctl daemon-reload',
    'systemctl enable coturn',
    'systemctl restart coturn',
  ];
}

/** turnserver.conf; $private_ip, $public_ip and $secret are expanded by the boot shell. */
export function coturnConfig(): string {
  return [
    `listening-port=${TURN_PORT}`,
    `tls-listening-port=${TURN_TLS_PORT}`,
    'listening-ip=$private_ip',
    'relay-ip=$private_ip',
    'external-ip=$public_ip/$private_ip',
    `min-port=${TURN_RELAY_PORTS.from}`,
    `max-port=${TURN_RELAY_PORTS.to}`,
    'use-auth-secret',
    'static-auth-secret=$secret',
    'realm=duel',
    'fingerprint',
    'no-cli',
    'no-multicast-peers',
    // WebRTC data channels ride UDP; TCP relay allocations are never needed.
    'no-tcp-relay',
    'no-tlsv1',
    'no-tlsv1_1',
    'cert=/etc/coturn/tls/cert.pem',
    'pkey=/etc/coturn/tls/key.pem',
    ...DENIED_PEER_RANGES.map((range) => `denied-peer-ip=${range}`),
    // The journal keeps coturn's log (systemd captures stdout); no files to rotate.
    'log-file=stdout',
  ].join('\n');
}
