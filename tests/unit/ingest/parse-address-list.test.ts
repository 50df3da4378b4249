import { describe, expect, it } from 'vitest';
import { parseAddressList } from '../../../src/ingest/parse-address-list.ts';

describe('reading From, To and Cc headers', () => {
  it('reads names, bare addresses and quoted names with commas in them', () => {
    expect(parseAddressList('"Doe, Jane" <Jane@Acme.com>, bob@example.com, Kim Lee <kim@globex.com>')).toEqual([
      { email: 'jane@acme.com', name: 'Doe, Jane' },
      { email: 'bob@example.com', name: null },
      { email: 'kim@globex.com', name: 'Kim Lee' },
    ]);
  });

  it('decodes names that mail clients encoded, and folded headers', () => {
    expect(parseAddressList('=?UTF-8?B?Q2hsb8OpIE1hcnRpbg==?= <chloe@ourteam.io>,\r\n =?ISO-8859-1?Q?Ren=E9_Dupont?= <rene@acme.fr>')).toEqual([
      { email: 'chloe@ourteam.io', name: 'Chloé Martin' },
      { email: 'rene@acme.fr', name: 'René Dupont' },
    ]);
  });

  it('gives the members of a group and nothing for an empty one', () => {
    expect(parseAddressList('sales: ana@ourteam.io, bo@ourteam.io;')).toEqual([
      { email: 'ana@ourteam.io', name: null },
      { email: 'bo@ourteam.io', name: null },
    ]);
    expect(parseAddressList('undisclosed-recipients:;')).toEqual([]);
    expect(parseAddressList(undefined)).toEqual([]);
  });
});
