import { mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { renderEmail, TEMPLATE_NAMES, type TemplateName } from '../templates/index.js';
import { SAMPLE_DATA } from '../templates/samples.js';

// Repo root from this file (packages/mailer/src/cli/), whatever directory npm runs the script from.
const outDir = new URL('../../../../.data/mail-preview/', import.meta.url);

function render<T extends TemplateName>(template: T) {
  return renderEmail(template, SAMPLE_DATA[template]);
}

await mkdir(outDir, { recursive: true });
for (const template of TEMPLATE_NAMES) {
  const email = render(template);
  const htmlFile = new URL(`${template}.html`, outDir);
  const textFile = new URL(`${template}.txt`, outDir);
  await writeFile(htmlFile, email.html);
  await writeFile(textFile, `Objet : ${email.subject}\n\n${email.text}`);
  console.log(`${template.padEnd(18)} ${fileURLToPath(htmlFile)}`);
  console.log(`${''.padEnd(18)} ${fileURLToPath(textFile)}`);
}
console.log('Ouvrez les fichiers .html dans un navigateur pour relire les e-mails.');
