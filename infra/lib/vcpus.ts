// vCPUs of an EC2 instance type, known at synth time: the security group must open one UDP
// port per server process, and each node runs one process per vCPU (NODES).

/** vCPUs by size for the general, compute and memory families (m, c, r and their variants). */
const BY_SIZE: Readonly<Record<string, number>> = {
  medium: 1,
  large: 2,
  xlarge: 4,
  '2xlarge': 8,
  '4xlarge': 16,
  '8xlarge': 32,
  '12xlarge': 48,
  '16xlarge': 64,
};

/** Burstable types: every size up to large has 2 vCPUs (t3.nano included). */
const BURSTABLE_SMALL = new Set(['nano', 'micro', 'small', 'medium', 'large']);

/** vCPU count of `family.size`, or an error naming the type when it is not in the table. */
export function vcpusOf(instanceType: string): number {
  const [family = '', size = ''] = instanceType.split('.');
  if (family.startsWith('t') && BURSTABLE_SMALL.has(size)) return 2;
  const vcpus = BY_SIZE[size];
  if (vcpus === undefined) {
    throw new Error(
      `Unknown vCPU count for instance type "${instanceType}": add its size to infra/lib/vcpus.ts`,
    );
  }
  return vcpus;
}
