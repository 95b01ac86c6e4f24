// Types of schema/generate-docs.mjs, for the documentation drift test.
export declare const GENERATED_PAGES: Record<string, readonly string[]>;
export declare function generateSection(name: 'policy-reference' | 'report-reference'): Promise<string>;
export declare function generatePage(page: string): Promise<string>;
