// Types of schema/generate-validators.mjs, for the drift test.
export declare const OUTPUT: URL;
export declare function generateValidators(): Promise<string>;
