// The part of @npmcli/config that verify-deps uses (the package ships no types).
declare module '@npmcli/config' {
  interface ConfigOptions {
    npmPath: string;
    definitions: Record<string, unknown>;
    shorthands: Record<string, unknown>;
    flatten: (obj: Record<string, unknown>, flat?: Record<string, unknown>) => Record<string, unknown>;
    argv?: string[];
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    execPath?: string;
    platform?: NodeJS.Platform;
  }
  export default class Config {
    constructor(options: ConfigOptions);
    load(): Promise<void>;
    get(key: string, where?: string): unknown;
    set(key: string, value: unknown, where?: string): void;
    readonly flat: Record<string, unknown>;
  }
}
