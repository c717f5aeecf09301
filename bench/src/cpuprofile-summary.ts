// Summarises a .cpuprofile written by `node --cpu-prof`: npm run profile:summary -w @girlycrea/bench -- <file> [top]
import { readFileSync } from 'node:fs';
import { formatProfileSummary, summariseProfile, type CpuProfile } from './profile/summarise.js';

const [file, count] = process.argv.slice(2);
if (!file) {
  console.error('usage : npm run profile:summary -w @girlycrea/bench -- <fichier.cpuprofile> [nombre de lignes]');
  process.exit(2);
}
const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
console.log(formatProfileSummary(summariseProfile(profile, count ? Number(count) : 20)));
