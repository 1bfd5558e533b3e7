// dist/ is rebuilt from nothing so a module deleted from src/ cannot linger in the package.
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
