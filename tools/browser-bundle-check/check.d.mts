export declare const ROOT: string;
export declare const BROWSER_PACKAGES: string[];
export interface BundleResult {
  name: string;
  bytes: number;
  nodeImports: { module: string; importer: string }[];
  errors: string[];
  ok: boolean;
}
export declare function bundleForBrowser(name: string, dir: string): Promise<BundleResult>;
export declare function checkPackages(names?: string[]): Promise<BundleResult[]>;
