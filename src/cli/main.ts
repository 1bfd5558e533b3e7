#!/usr/bin/env node
import { runProcess } from './process-main.js';

await runProcess();
