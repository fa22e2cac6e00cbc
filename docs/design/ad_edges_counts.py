#!/usr/bin/python3
"""Count non-ADCS AD abuse edges and BloodHound-CE-style tier zero over SharpHound v6 JSON.

Re-implements (in plain Python, no graph DB) the logic of:
  packages/go/ein/ad.go            (ingest-time edges: SQLAdmin, AllowedToDelegate, AllowedToAct,
                                    HasSIDHistory, DumpSMSAPassword, CoerceToTGT, DCFor, GPLink,
                                    SameForestTrust/CrossForestTrust/SpoofSIDHistory/AbuseTGTDelegation)
  packages/go/analysis/ad/post.go  (DCSync, SyncLAPSPassword via CalculateCrossProductNodeSets)
  packages/go/analysis/ad/gpos.go  (GPOAppliesTo: enforced links / blocksinheritance)
  packages/go/analysis/ad/kerberoast.go (Kerberoastable, recent main)
  cmd/api/src/database/migration/migrations/v7.4.0.sql + cmd/api/src/daemons/datapipe/agt.go
                                   (Privilege Zones Tier Zero default selectors + "All" expansion)
Usage: ad_edges_counts.py DIR [DIR...]   (each DIR = one data set; all *.json in it are merged)
"""
import collections, glob, json, os, sys

KIND = {'users': 'User', 'computers': 'Computer', 'groups': 'Group', 'domains': 'Domain', 'ous': 'OU',
        'containers': 'Container', 'gpos': 'GPO', 'aiacas': 'AIACA', 'rootcas': 'RootCA',
        'enterprisecas': 'EnterpriseCA', 'ntauthstores': 'NTAuthStore', 'certtemplates': 'CertTemplate'}


def U(s):
    return s.upper() if isinstance(s, str) else s


def gv(obj, key, default=None):
    """Case-insensitive top-level lookup (Go's encoding/json is case-insensitive: SPNTargets == SpnTargets)."""
    for k, v in obj.items():
        if k.lower() == key.lower():
            return v
    return default


class DS:
    def __init__(self, dirs):
        self.nodes = {}            # oid -> dict(kind, props, raw)
        self.edges = set()         # (src, kind, dst)
        self.eprops = {}           # (src, kind, dst) -> props
        self.trusts = []           # (domain_oid, trust dict)
        for d in dirs:
            for f in sorted(glob.glob(os.path.join(d, '*.json'))):
                j = json.load(open(f, encoding='utf-8-sig'))
                kind = KIND.get(j.get('meta', {}).get('type'))
                if not kind:
                    continue
                for o in j['data']:
                    self.add_obj(kind, o)

    def node(self, oid, kind='Base'):
        oid = U(oid)
        if oid not in self.nodes:
            self.nodes[oid] = {'kind': kind, 'props': {}, 'raw': {}, 'stub': True}
        elif self.nodes[oid]['kind'] == 'Base' and kind != 'Base':
            self.nodes[oid]['kind'] = kind
        return self.nodes[oid]

    def edge(self, s, k, t, **p):
        e = (U(s), k, U(t))
        self.edges.add(e)
        if p:
            self.eprops[e] = p

    def add_obj(self, kind, o):
        oid = U(o['ObjectIdentifier'])
        n = self.node(oid, kind)
        n.update({'kind': kind, 'props': o.get('Properties') or {}, 'raw': o, 'stub': False})
        P = n['props']
        for a in o.get('Aces') or []:
            self.node(a['PrincipalSID'], a.get('PrincipalType') or 'Base')
            self.edge(a['PrincipalSID'], a['RightName'], oid, inherited=a.get('IsInherited'))
        cb = o.get('ContainedBy')
        if cb and cb.get('ObjectIdentifier'):
            self.node(cb['ObjectIdentifier'], cb.get('ObjectType') or 'Base')
            self.edge(cb['ObjectIdentifier'], 'Contains', oid)
        for c in gv(o, 'ChildObjects') or []:
            self.node(c['ObjectIdentifier'], c.get('ObjectType') or 'Base')
            self.edge(oid, 'Contains', c['ObjectIdentifier'])
        for m in gv(o, 'Members') or []:
            self.node(m['ObjectIdentifier'], m.get('ObjectType') or 'Base')
            self.edge(m['ObjectIdentifier'], 'MemberOf', oid)
        pg = gv(o, 'PrimaryGroupSID')
        if pg:
            self.node(pg, 'Group')
            self.edge(oid, 'MemberOf', pg, primary=True)
        for l in gv(o, 'Links') or []:                       # GPLink: GPO -> Domain/OU, prop enforced
            self.node(l['GUID'], 'GPO')
            self.edge(l['GUID'], 'GPLink', oid, enforced=bool(l.get('IsEnforced')))
        for t in gv(o, 'AllowedToDelegate') or []:
            self.node(t['ObjectIdentifier'], t.get('ObjectType') or 'Computer')
            self.edge(oid, 'AllowedToDelegate', t['ObjectIdentifier'])
        for t in gv(o, 'AllowedToAct') or []:                 # principal -> this computer
            self.node(t['ObjectIdentifier'], t.get('ObjectType') or 'Base')
            self.edge(t['ObjectIdentifier'], 'AllowedToAct', oid)
        for t in gv(o, 'HasSIDHistory') or []:
            self.node(t['ObjectIdentifier'], t.get('ObjectType') or 'Base')
            self.edge(oid, 'HasSIDHistory', t['ObjectIdentifier'])
        for t in gv(o, 'DumpSMSAPassword') or []:
            self.node(t['ObjectIdentifier'], t.get('ObjectType') or 'User')
            self.edge(oid, 'DumpSMSAPassword', t['ObjectIdentifier'])
        for s in gv(o, 'SPNTargets') or []:                    # "SPNTargets" (SH) or "SpnTargets" (old/TESTLAB)
            self.node(s['ComputerSID'], 'Computer')
            self.edge(oid, s.get('Service', 'SQLAdmin'), s['ComputerSID'], port=s.get('Port'))
        if kind in ('User', 'Computer'):
            unc = P.get('unconstraineddelegation', gv(o, 'UnconstrainedDelegation', False))
            dsid = P.get('domainsid', gv(o, 'DomainSID', '')) or ''
            is_dc = bool(gv(o, 'IsDC', False))
            dsid_top = gv(o, 'DomainSID', '') or ''
            if kind == 'Computer' and is_dc and dsid_top:
                self.edge(oid, 'DCFor', dsid_top)                   # ein: computer.IsDC && computer.DomainSID
            elif unc and dsid:
                self.edge(oid, 'CoerceToTGT', dsid)                 # ein: not DC && unconstrained
        if kind == 'Domain':
            for t in gv(o, 'Trusts') or []:
                self.trusts.append((oid, t))
                self.parse_trust(oid, t)

    def parse_trust(self, dom, t):
        tgt = U(t['TargetDomainSid'])
        n = self.node(tgt, 'Domain')
        n['props'].setdefault('name', t.get('TargetDomainName'))
        tt, d = t.get('TrustType'), t.get('TrustDirection')
        if isinstance(d, int):
            d = {0: 'Disabled', 1: 'Inbound', 2: 'Outbound', 3: 'Bidirectional'}[d]
        if isinstance(tt, int):
            tt = {0: 'ParentChild', 1: 'CrossLink', 2: 'Forest', 3: 'External', 4: 'Unknown'}.get(tt, 'Unknown')
        ek = 'SameForestTrust' if tt in ('ParentChild', 'TreeRoot', 'CrossLink') else 'CrossForestTrust'
        if d in ('Inbound', 'Bidirectional'):          # target trusts us: edge target -> us
            self.edge(tgt, ek, dom, trusttype=tt)
            if ek == 'CrossForestTrust' and t.get('TGTDelegationEnabled', False):
                self.edge(tgt, 'AbuseTGTDelegation', dom, trusttype=tt)
        if d in ('Outbound', 'Bidirectional'):         # we trust target: edge us -> target
            self.edge(dom, ek, tgt, trusttype=tt, spoofsidhistoryblocked=t.get('SidFilteringEnabled'))
            if ek == 'CrossForestTrust' and not t.get('SidFilteringEnabled', False):
                self.edge(tgt, 'SpoofSIDHistory', dom, trusttype=tt)

    # ---------- helpers ----------
    def out(self, kind):
        m = collections.defaultdict(set)
        for s, k, t in self.edges:
            if k == kind:
                m[s].add(t)
        return m

    def inn(self, kind):
        m = collections.defaultdict(set)
        for s, k, t in self.edges:
            if k == kind:
                m[t].add(s)
        return m

    def of_kind(self, kind):
        return [o for o, n in self.nodes.items() if n['kind'] == kind and not n['stub']]

    def members_closure(self, group, members_in):
        seen, st = set(), [group]
        while st:
            g = st.pop()
            for m in members_in.get(g, ()):
                if m not in seen:
                    seen.add(m)
                    st.append(m)
        return seen


def cross_product(ds, sets, members_in, excluded):
    """Approximation of CalculateCrossProductNodeSets: principals that hold every right (directly or via
    MemberOf); keep only 'first intersections' (not members of another qualifying node)."""
    sets = [s for s in sets if not (s & excluded)]          # Auth Users / Everyone shortcut
    if not sets:
        return set(), set()
    reach = []
    for s in sets:
        r = set(s)
        for g in s:
            r |= ds.members_closure(g, members_in)
        reach.append(r)
    cand = set.intersection(*reach)
    edges = {c for c in cand if not any(c in ds.members_closure(o, members_in) for o in cand if o != c)}
    eff = {c for c in cand if ds.nodes.get(c, {}).get('kind') in ('User', 'Computer')}
    return edges, eff


def analyse(name, dirs):
    ds = DS(dirs)
    R = collections.OrderedDict()
    users, comps = ds.of_kind('User'), ds.of_kind('Computer')
    P = lambda o: ds.nodes[o]['props']
    members_in = ds.inn('MemberOf')
    doms = [o for o in ds.of_kind('Domain') if P(o).get('collected')]
    R['collected domains'] = ', '.join(P(o).get('name', o) for o in doms)
    R['users / computers / groups / ous / gpos / containers'] = '%d / %d / %d / %d / %d / %d' % tuple(
        len(ds.of_kind(k)) for k in ('User', 'Computer', 'Group', 'OU', 'GPO', 'Container'))
    en = [u for u in users if P(u).get('enabled')]
    R['users enabled'] = len(en)
    R['users hasspn (all / enabled)'] = '%d / %d' % (sum(bool(P(u).get('hasspn')) for u in users),
                                                     sum(bool(P(u).get('hasspn')) for u in en))
    # Kerberoastable (kerberoast.go): AuthUsers(<DOMAIN NAME>-S-1-5-11) -> enabled user w/ hasspn, same domainsid,
    # not krbtgt(-502), not gmsa/msa
    kerb = []
    for d in doms:
        au = U(P(d).get('name', '')) + '-S-1-5-11'
        for u in en:
            p = P(u)
            if U(p.get('domainsid')) == d and p.get('hasspn') and not u.endswith('-502') \
                    and not p.get('gmsa') and not p.get('msa'):
                kerb.append((au, u))
    R['Kerberoastable edges (AuthUsers->user)'] = len(kerb)
    R['  kerberoastable names'] = ', '.join(sorted(P(u).get('name', u) for _, u in kerb)) or '-'
    asrep = [u for u in en if P(u).get('dontreqpreauth')]
    R['ASREP-roastable users (enabled & dontreqpreauth)'] = '%d (%s)' % (
        len(asrep), ', '.join(sorted(P(u).get('name', u) for u in asrep)) or '-')
    R['users unconstraineddelegation'] = sum(bool(P(u).get('unconstraineddelegation')) for u in users)
    R['users trustedtoauth'] = sum(bool(P(u).get('trustedtoauth')) for u in users)
    R['users sensitive (not delegable)'] = sum(bool(P(u).get('sensitive')) for u in users)
    R['users admincount=true'] = sum(bool(P(u).get('admincount')) for u in users)
    R['groups admincount=true'] = sum(bool(P(g).get('admincount')) for g in ds.of_kind('Group'))
    R['objects isaclprotected=true'] = sum(bool(n['props'].get('isaclprotected')) for n in ds.nodes.values())
    R['users pwdneverexpires / passwordnotreqd'] = '%d / %d' % (
        sum(bool(P(u).get('pwdneverexpires')) for u in users), sum(bool(P(u).get('passwordnotreqd')) for u in users))
    isdc_top = [c for c in comps if gv(ds.nodes[c]['raw'], 'IsDC', False)]
    dc_grp = set()
    for g in ds.of_kind('Group'):
        if g.endswith('-516'):
            dc_grp |= {m for m in ds.members_closure(g, members_in) if ds.nodes[m]['kind'] == 'Computer'}
    R['computers IsDC (top-level flag) / in -516 (incl. primary group)'] = '%d / %d' % (len(isdc_top), len(dc_grp))
    ucd = [c for c in comps if P(c).get('unconstraineddelegation')]
    R['computers unconstrained (all / non-DC by -516)'] = '%d / %d' % (len(ucd), len([c for c in ucd if c not in dc_grp]))
    R['computers trustedtoauth'] = sum(bool(P(c).get('trustedtoauth')) for c in comps)
    R['computers haslaps'] = sum(bool(P(c).get('haslaps')) for c in comps)
    ek = collections.Counter(k for _, k, _ in ds.edges)
    for k in ('CoerceToTGT', 'DCFor', 'AllowedToDelegate', 'AllowedToAct', 'AddAllowedToAct',
              'WriteAccountRestrictions', 'AddKeyCredentialLink', 'WriteSPN', 'ReadLAPSPassword',
              'ReadGMSAPassword', 'HasSIDHistory', 'SQLAdmin', 'DumpSMSAPassword', 'GetChanges',
              'GetChangesAll', 'GetChangesInFilteredSet', 'AllExtendedRights', 'WriteGPLink'):
        R['edges ' + k] = ek.get(k, 0)
    # DCSync / SyncLAPSPassword (post.go)
    excluded = {o for o in ds.nodes if o.endswith('-S-1-5-11') or o.endswith('-S-1-1-0')}
    gc, gca, gcf = ds.inn('GetChanges'), ds.inn('GetChangesAll'), ds.inn('GetChangesInFilteredSet')
    dcs_e, dcs_eff, sl_e, sl_n = set(), set(), 0, 0
    for d in doms:
        e, eff = cross_product(ds, [gc.get(d, set()), gca.get(d, set())], members_in, excluded)
        dcs_e |= {(x, d) for x in e}
        dcs_eff |= eff
        e2, _ = cross_product(ds, [gc.get(d, set()), gcf.get(d, set())], members_in, excluded)
        laps = [c for c in comps if P(c).get('haslaps') and U(P(c).get('domainsid')) == d]
        sl_e += len(e2) * len(laps)
    R['DCSync edges (post.go cross product)'] = '%d  [%s]' % (len(dcs_e), ', '.join(sorted(
        ds.nodes[x]['props'].get('name', x) for x, _ in dcs_e)))
    R['  users/computers effectively able to DCSync (incl. via groups)'] = len(dcs_eff)
    R['SyncLAPSPassword edges'] = sl_e
    # GPOs
    gl = [(s, t) for s, k, t in ds.edges if k == 'GPLink']
    R['GPLink edges (enforced)'] = '%d (%d)' % (len(gl), sum(ds.eprops[(s, 'GPLink', t)]['enforced'] for s, t in gl))
    R['OUs blocksinheritance=true'] = sum(bool(P(o).get('blocksinheritance')) for o in ds.of_kind('OU'))
    R['GPOAppliesTo edges (gpos.go) / naive (ignore block+enforce)'] = '%d / %d' % (
        gpo_applies(ds, doms, True), gpo_applies(ds, doms, False))
    # Trusts
    for dom, t in ds.trusts:
        R['trust %s -> %s' % (P(dom).get('name'), t.get('TargetDomainName'))] = \
            'type=%s dir=%s sidfilter=%s transitive=%s tgtdeleg=%s attrs=%s' % (
                t.get('TrustType'), t.get('TrustDirection'), t.get('SidFilteringEnabled'), t.get('IsTransitive'),
                t.get('TGTDelegationEnabled', 'n/a'), t.get('TrustAttributes', 'n/a'))
    for k in ('SameForestTrust', 'CrossForestTrust', 'SpoofSIDHistory', 'AbuseTGTDelegation'):
        nm = lambda o: ds.nodes[o]['props'].get('name') or o
        R['edges ' + k] = '%d  %s' % (ek.get(k, 0), '; '.join(sorted('%s->%s' % (nm(s), nm(t))
                                                                       for s, kk, t in ds.edges if kk == k)))
    # Tier zero
    t0, seeds = tier_zero(ds, members_in, optional=False)
    t0x, _ = tier_zero(ds, members_in, optional=True)
    R['T0 (PZ defaults enabled) seeds / total'] = '%d / %d  by kind %s' % (
        len(seeds), len(t0), dict(collections.Counter(ds.nodes[o]['kind'] for o in t0)))
    R['T0 incl. disable-able-by-default selectors (total)'] = '%d  by kind %s' % (
        len(t0x), dict(collections.Counter(ds.nodes[o]['kind'] for o in t0x)))
    R['Kerberoastable users that are T0'] = sum(u in t0 for _, u in kerb)
    R['CoerceToTGT sources that are T0'] = sum(s in t0 for s, k, _ in ds.edges if k == 'CoerceToTGT')
    print('\n### %s\n' % name)
    for k, v in R.items():
        print('- %s: %s' % (k, v))


def gpo_applies(ds, doms, faithful):
    contains = ds.out('Contains')
    links = collections.defaultdict(list)
    for (s, k, t), p in ds.eprops.items():
        if k == 'GPLink':
            links[t].append((s, p['enforced']))
    edges = set()

    def rec(n, inh, inh_enf, seen):
        if n in seen:
            return
        seen = seen | {n}
        kind = ds.nodes[n]['kind']
        applying, inh_enf_new, blocks = [], list(inh_enf), False
        if kind in ('Domain', 'OU'):
            applying = [g for g, _ in links.get(n, [])]
            inh_enf_new = inh_enf + [g for g, e in links.get(n, []) if e]
            if kind == 'OU':
                blocks = bool(ds.nodes[n]['props'].get('blocksinheritance'))
        applying = applying + (inh_enf if (blocks and faithful) else inh)
        for c in contains.get(n, ()):
            ck = ds.nodes[c]['kind']
            if ck in ('User', 'Computer'):
                edges.update((g, c) for g in applying)
            elif ck in ('OU', 'Container'):
                rec(c, applying, inh_enf_new, seen)
    for d in doms:
        rec(d, [], [], set())
    return len(edges)


def tier_zero(ds, members_in, optional=False):
    """Privilege Zones default Tier Zero (v7.4.0.sql selectors, enabled=true) + agt.go expansion 'All'."""
    N, seeds = ds.nodes, set()
    grp_sfx = ['-512', '-516', '-518', '-519', '-526', '-527', 'S-1-5-32-544', 'S-1-5-32-551', '-1-5-9']
    if optional:
        grp_sfx += ['S-1-5-32-548', 'S-1-5-32-549', 'S-1-5-32-550', '-517', 'S-1-5-32-569', 'S-1-5-32-562',
                    'S-1-5-32-559']
    for o, n in N.items():
        k, p = n['kind'], n['props']
        if k == 'Domain':
            seeds.add(o)                                              # MATCH (n:Domain) RETURN n (all domains)
        elif k == 'Group' and any(o.endswith(s) for s in grp_sfx):
            seeds.add(o)
        elif k == 'User' and (o.endswith('-500') or (optional and o.endswith('-502'))):
            seeds.add(o)
        elif optional and k == 'Group' and U(p.get('name', '')).startswith(
                ('DNSADMINS@', 'EXCHANGE TRUSTED SUBSYSTEM@', 'EXCHANGE WINDOWS PERMISSIONS@')):
            seeds.add(o)
        elif optional and k in ('NTAuthStore', 'RootCA', 'AIACA', 'EnterpriseCA', 'CertTemplate'):
            seeds.add(o)
        elif optional and k == 'Computer' and U(p.get('samaccountname', '')) == 'AZUREADSSOACC$':
            seeds.add(o)
    if optional:                                                      # RODCs: direct MemberOf -521; CA hosts
        for s, k, t in ds.edges:
            if k == 'MemberOf' and t.endswith('-521') and N[s]['kind'] == 'Computer':
                seeds.add(s)
        for o in ds.of_kind('EnterpriseCA'):
            hc = gv(N[o]['raw'], 'HostingComputer')
            if hc:
                seeds.add(U(hc))
    for d in [o for o, n in N.items() if n['kind'] == 'Domain' and n['props'].get('distinguishedname')]:
        adm = 'CN=ADMINSDHOLDER,CN=SYSTEM,' + U(N[d]['props']['distinguishedname'])
        seeds |= {o for o, n in N.items() if n['kind'] == 'Container'
                  and U(n['props'].get('distinguishedname')) == adm}
    contains_out, contains_in, gplink_in = ds.out('Contains'), ds.inn('Contains'), ds.inn('GPLink')
    res = set(seeds)
    st = list(seeds)                                                  # children: MemberOf* inbound, Contains* out
    while st:
        x = st.pop()
        k = N[x]['kind']
        nxt = members_in.get(x, ()) if k == 'Group' else contains_out.get(x, ()) if k in ('OU', 'Container') else ()
        for m in nxt:
            if m not in res:
                res.add(m)
                st.append(m)
    parents = set()
    for x in list(res):                                               # parents of seeds + children
        cur = x
        parents |= gplink_in.get(cur, set())
        while True:                                                   # OU ancestor chain + GPOs linked to them
            ous = [p for p in contains_in.get(cur, ()) if N[p]['kind'] == 'OU']
            if not ous:
                break
            cur = ous[0]
            parents.add(cur)
            parents |= gplink_in.get(cur, set())
        if N[x]['props'].get('isaclprotected') is False:              # container chain if ACL inheritance on
            cur = x
            while True:
                cs = [p for p in contains_in.get(cur, ()) if N[p]['kind'] == 'Container']
                if not cs:
                    break
                cur = cs[0]
                parents.add(cur)
    return res | parents, seeds


if __name__ == '__main__':
    args = sys.argv[1:] or ['/tmp/research/ad_sample2', '/work/shared/data/bloodhound/specterops-testlab/v6']
    for a in args:
        analyse(a, [a])
