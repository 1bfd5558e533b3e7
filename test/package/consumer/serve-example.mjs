// The installed `lean-mock` command (the bundled bin), as the README starts it: `serve` makes its
// certificate folder, answers over mTLS and serves the inspector page, all from files the package
// ships. Prints one JSON line of what it saw.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { join } from 'node:path';

const bin = join('node_modules', '.bin', process.platform === 'win32' ? 'lean-mock.cmd' : 'lean-mock');
const child = spawn(bin, ['serve', '--port', '0', '--admin-port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
const exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
const ready = await new Promise((resolve, reject) => {
  let text = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    text += chunk;
    if (text.includes('\n')) resolve(JSON.parse(text.slice(0, text.indexOf('\n'))));
  });
  void exited.then((code) => reject(new Error(`lean-mock serve exited with ${code} before it was ready`)));
});
const file = (name) => readFileSync(join(ready.certs, name), 'utf8');
const banks = await new Promise((resolve, reject) => {
  const tls = { ca: file('lean_public_cert_chain.pem'), cert: file('my_app_cert_and_chain.crt'), key: file('my_app_private_key.pem'), agent: false };
  const req = request(`${ready.url}/banks/v1`, { ...tls, headers: { 'lean-app-token': ready.appToken } }, (res) => {
    let body = '';
    res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
    res.on('end', () => resolve({ status: res.statusCode, count: JSON.parse(body).length }));
  });
  req.on('error', reject);
  req.end();
});
const page = await fetch(`${ready.adminUrl}/`);
const css = await fetch(`${ready.adminUrl}/inspector/inspector.css`);
const seen = { banks: banks.status, count: banks.count, page: page.status, html: (await page.text()).startsWith('<!doctype html>'), css: css.status };
child.kill('SIGTERM');
console.log(JSON.stringify({ ...seen, exit: await exited }));
