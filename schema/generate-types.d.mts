// Types of schema/generate-types.mjs, for the drift tests.
export declare function generateTypes(name: 'policy' | 'report'): Promise<string>;
export declare function generatePolicyTypes(): Promise<string>;
