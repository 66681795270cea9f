/** The two switch answers the reconciler reads, as FreeSWITCH 1.10.12 writes them. */
import { describe, expect, it } from 'vitest';
import { parseChannelList } from '../../src/switch/switch-channels.ts';
import { parseUnseenRecord } from '../../src/switch/unseen-records.ts';

const HEADER = 'uuid|direction|created|created_epoch|name|state|cid_name|cid_num|ip_addr|dest|application|application_data|dialplan|context|read_codec|read_rate|read_bit_rate|write_codec|write_rate|write_bit_rate|secure|hostname|presence_id|presence_data|accountcode|callstate|callee_name|callee_num|callee_direction|call_uuid|sent_callee_name|sent_callee_num|initial_cid_name|initial_cid_num|initial_ip_addr|initial_dest|initial_dialplan|initial_context';

describe('parseChannelList (show channels as delim |)', () => {
  it('reads each channel\'s uuid, created_epoch and whether it sits in the socket app', () => {
    // Two lines captured from the real switch: one parked in the socket app, one in controller_unavailable.
    const body = `${HEADER}
81481823-3425-43d8-a163-106cc2c6d28e|inbound|2026-12-05 12:08:58|1796472538|sofia/trunks/sipp@127.0.0.1:5070|CS_EXECUTE|sipp|sipp|127.0.0.1|918065978001|socket|127.0.0.1:8084 async full|XML|public|PCMU|8000|64000|PCMU|8000|64000||vm||||ACTIVE|||||||sipp|sipp|127.0.0.1|918065978001|XML|public
5ACB221A-2F79-4572-A0E5-0D3D47B2176C|inbound|2026-12-05 11:58:02|1796471882|sofia/trunks/sipp@127.0.0.1:5070|CS_EXECUTE|a|b|c|sipp|127.0.0.1|controller_unavailable|playback|tone_stream://%(274,0,913.8);%(274,0,1370.6);%(380,0,1776.7)|XML|public|PCMU|8000|64000|PCMU|8000|64000||vm||||ACTIVE|||||||sipp|sipp|127.0.0.1|918065978001|XML|public

2 total.
`;
    const list = parseChannelList(body);
    expect([...list.values()]).toEqual([
      { uuid: '81481823-3425-43d8-a163-106cc2c6d28e', createdEpochS: 1796472538, inSocketApp: true },
      // A caller name holding `|` shifts the columns but not the uuid, the epoch or the app test.
      { uuid: '5acb221a-2f79-4572-a0e5-0d3d47b2176c', createdEpochS: 1796471882, inSocketApp: false },
    ]);
    expect(parseChannelList('\n0 total.\n').size).toBe(0);
  });
});

describe('parseUnseenRecord (db select/switchboard_unseen/<uuid>)', () => {
  it('reads the note controller_unavailable leaves at hangup', () => {
    expect(parseUnseenRecord('DFA5A1F7-D7DA-4D80-84CE-D9261C9653D3', 'v1|1796471867823391|0|1796471871023379|NORMAL_TEMPORARY_FAILURE|918065978001|sipp')).toEqual({
      uuid: 'dfa5a1f7-d7da-4d80-84ce-d9261c9653d3',
      startedAt: new Date(1796471867823).toISOString(),
      answeredBefore: null,
      endedAt: new Date(1796471871023).toISOString(),
      hangupCause: 'NORMAL_TEMPORARY_FAILURE',
      dialled: '918065978001',
      caller: 'sipp',
    });
  });

  it('keeps a `|` in the caller (last field), and refuses what is not a complete v1 note', () => {
    expect(parseUnseenRecord('x', 'v1|1000000|2000000|3000000|NORMAL_CLEARING|+1555|a|b')).toMatchObject({ caller: 'a|b', answeredBefore: new Date(2000).toISOString() });
    expect(parseUnseenRecord('x', 'v1|1000000|0||NORMAL_CLEARING|+1555|a')).toBeNull();
    expect(parseUnseenRecord('x', 'v2|1|0|2|X|d|c')).toBeNull();
    expect(parseUnseenRecord('x', '!err!')).toBeNull();
  });
});
