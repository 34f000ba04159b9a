import t from 'tap';
import { ApiError } from '../../src/errors.js';
import { buildIpAcl, ipAclAction, type IpAccessControlList } from '../../src/model/ip-acl.js';

// model/ip-acl.ts: which entry decides for an address, and the entries a list may hold.
const list = (entries: unknown[]): IpAccessControlList => buildIpAcl({ name: 'l', entries: entries }, { id: 'x', now: 0 });

t.test('the first range in the list’s order that holds the address decides; else the default entry', async (t) => {
  const acl = list([
    { action: 'Allow', startIPAddress: '10.0.0.5', endIPAddress: '10.0.0.5' },
    { action: 'Block', startIPAddress: '10.0.0.0', endIPAddress: '10.0.0.255' },
    { action: 'Allow', startIPAddress: '*' },
  ]);
  t.equal(ipAclAction(acl, '10.0.0.5'), 'Allow', 'the narrower range listed first');
  t.equal(ipAclAction(acl, '10.0.0.6'), 'Block');
  t.equal(ipAclAction(acl, '10.0.1.0'), 'Allow', 'the default');
  t.equal(ipAclAction(acl, '::ffff:10.0.0.6'), 'Block', 'an IPv4-mapped IPv6 address');
  t.equal(ipAclAction(acl, '2001:db8::1'), 'Allow', 'an IPv6 address no range holds');
  t.equal(ipAclAction(acl, undefined), 'Allow', 'no address: the default');
  t.equal(ipAclAction(acl, 'not an address'), 'Allow');
  const blockAll = list([{ action: 'Block', startIPAddress: '*', endIPAddress: 'ignored' }]);
  t.same(blockAll.entries, [{ action: 'Block', startIPAddress: '*' }], 'the default entry keeps no endIPAddress');
  t.equal(ipAclAction(blockAll, '127.0.0.1'), 'Block');
});

t.test('IPv6 ranges hold what lies between their ends', async (t) => {
  const acl = list([
    { action: 'Allow', startIPAddress: '*' },
    { action: 'Block', startIPAddress: 'fd00::10', endIPAddress: 'fd00::1:0' },
  ]);
  t.equal(ipAclAction(acl, 'fd00::ffff'), 'Block');
  t.equal(ipAclAction(acl, 'fd00::1:1'), 'Allow');
  t.equal(ipAclAction(acl, 'fd00::f'), 'Allow');
});

t.test('every bad entry is reported at once', async (t) => {
  const error = t.throws(() =>
    list([
      { action: 'Allow', startIPAddress: '*' },
      { action: 'Block', startIPAddress: '1.2.3.4', endIPAddress: '1.2.3.1' },
      { action: 'Maybe', startIPAddress: 'x', endIPAddress: '1.2.3.4' },
      'not an object',
    ]),
  ) as ApiError;
  t.same(Object.keys(error.errors!.fieldErrors).sort(), [
    'ipAccessControlList.entries[1].endIPAddress',
    'ipAccessControlList.entries[2].action',
    'ipAccessControlList.entries[2].startIPAddress',
    'ipAccessControlList.entries[3]',
  ]);
});
