// Types of schema/generate-docs.mjs, for the README drift test.
export declare function generateSection(name: 'policy-reference' | 'report-reference'): Promise<string>;
export declare function generateReadme(): Promise<string>;
