// The read-back runner writes what Export-Csv would, from what the script selects.
import assert from 'node:assert/strict';
import { collection, runReadBack, type Cmdlets } from './powershell';

describe('PowerShell read-back runner (test helper)', () => {
  const cmdlets: Cmdlets = (cmdlet, parameters) => {
    assert.equal(cmdlet, 'Get-Thing');
    return [{ Identity: `name of ${String(parameters.Identity)}`, Say: 'a "quoted", comma', Tags: collection('System.Collections.Generic.List`1[System.String]', ['x', 'y']), Gone: null }];
  };

  it('runs the Select-Object columns of each pipeline and writes the file as Export-Csv -NoTypeInformation -Encoding UTF8 does', () => {
    const script = [
      '# ---- Read-back',
      "$Things = @(",
      "  'a@x.com'",
      "  'b''c@x.com'",
      ')',
      "@($Things) + @() | ForEach-Object { $m = $_; Get-Thing -Identity $m | Select-Object @{Name='Mailbox';Expression={$m}},Identity,Say,Tags,@{Name='Joined';Expression={$_.Tags -join ';'}},Gone,Missing } | Export-Csv -Path 'things.csv' -NoTypeInformation -Encoding UTF8",
    ].join('\n');
    assert.deepEqual(runReadBack(script, cmdlets), {
      'things.csv':
        '\uFEFF"Mailbox","Identity","Say","Tags","Joined","Gone","Missing"\r\n' +
        '"a@x.com","name of a@x.com","a ""quoted"", comma","System.Collections.Generic.List`1[System.String]","x;y",,\r\n' +
        '"b\'c@x.com","name of b\'c@x.com","a ""quoted"", comma","System.Collections.Generic.List`1[System.String]","x;y",,\r\n',
    });
  });

  it('refuses what it does not know rather than guessing', () => {
    assert.throws(() => runReadBack("# ---- Read-back\nGet-Thing -Identity 'a' | Format-Table", cmdlets), /not a pipeline stage this reader knows: Format-Table/);
    assert.throws(() => runReadBack("# ---- Read-back\nGet-Thing -Identity 'a' | Export-Csv -Path 'x.csv'", cmdlets), /Export-Csv other than/);
    assert.throws(() => runReadBack("# ---- Read-back\nGet-Thing -Identity 'a'", cmdlets), /prints to the console/);
  });
});
