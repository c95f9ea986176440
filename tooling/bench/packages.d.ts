export interface BenchPackage {
  /** Package name, e.g. `@cairn/crypto`. */
  readonly name: string;
  /** Absolute path of the package directory. */
  readonly directory: string;
  /** Its `bench` script, as package.json says. */
  readonly script: string;
}

export function listBenchPackages(root: string): Promise<BenchPackage[]>;
