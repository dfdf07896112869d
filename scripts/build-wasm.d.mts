// Types of build-wasm.mjs for the test that assembles the source and compares.
export function assemble(text: string): Promise<Buffer>;
export function render(bytes: Buffer): string;
