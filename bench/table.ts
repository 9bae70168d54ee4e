// Prints the figures of a results file (bench/results.json by default) as the Markdown table
// `npm run bench` prints, for docs/PERFORMANCE.md and the README:  npx tsx bench/table.ts [FILE]
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatFigureTable, isBenchFigure, type BenchFigure } from './lib';

const file = process.argv[2] ?? join(__dirname, 'results.json');
const results = JSON.parse(readFileSync(file, 'utf8')) as { figures?: unknown[]; complete?: boolean; date?: string; finishedAt?: string };
// results.json records a figure that was not measured with measured null (JSON has no NaN).
const figures = (results.figures ?? []).map((f) => ({ ...(f as object), measured: (f as { measured: number | null }).measured ?? Number.NaN })).filter(isBenchFigure) as BenchFigure[];
process.stdout.write(`${formatFigureTable(figures)}\n`);
if (results.complete === false) process.stdout.write(`\n(incomplete run: started ${results.date}, last written ${results.finishedAt})\n`);
