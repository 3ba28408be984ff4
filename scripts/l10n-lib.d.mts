export function extractTemplates(root: string): string[];
export function readBundle(root: string, lang: string): Record<string, string>;
