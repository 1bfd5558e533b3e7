// tsc copies no static files: the inspector page (HTML, CSS, browser JS) is copied beside the
// compiled modules so dist/ serves exactly what src/ holds, with no bundler.
import { cpSync, existsSync } from 'node:fs';

const from = new URL('../src/inspector/page/', import.meta.url);
const to = new URL('../dist/inspector/page/', import.meta.url);
if (existsSync(from)) cpSync(from, to, { recursive: true });
