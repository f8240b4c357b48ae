export declare const PINS: Readonly<{ temporalCli: string; temporalTestServer: string; ferretdb: string }>;
export declare const paths: Readonly<{
  root: string;
  tools: string;
  venv: string;
  data: string;
  temporal: string;
  temporalTestServer: string;
  ferretdb: string;
}>;
