// Where the CLI writes: injected, so tests can run it in-process.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  // Whether stderr is a terminal (progress line, colours).
  stderrIsTTY?: boolean;
}
