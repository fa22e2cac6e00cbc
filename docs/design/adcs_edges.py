#!/usr/bin/python3
"""Re-implementation (research aid, not production) of BloodHound CE ADCS post-processing
over SharpHound v6 JSON files, to predict the ADCS edges BHCE would create.

Follows packages/go/analysis/ad/{adcs,adcscache,esc_shared,esc1,esc3,esc4,esc6,esc9,esc10,esc13}.go
of SpecterOps/BloodHound as of upstream 084bb42 (2025-10-31), checked against newer
read_file versions (esc1 00105cd, esc_shared 0233d2a, esc6/post.go 002b1ca).

usage: adcs_edges.py DIR [--owns harness|bhce] [--verbose] [--compare analyzed.json]
  --owns bhce    : Owns/WriteOwner ACEs are only OwnsRaw/WriteOwnerRaw while ADCS post runs
                   (BHCE pipeline order: DeleteTransitEdges -> ... -> PostADCS -> PostOwnsAndWriteOwner)
  --owns harness : treat Owns/WriteOwner ACEs as Owns/WriteOwner edges (what the Go tests assume)
"""
import json, glob, os, sys, collections, argparse

AU_SUFFIX, EVERYONE_SUFFIX = "S-1-5-11", "S-1-1-0"
EKU_ANY, EKU_CRA, EKU_CLIENT = "2.5.29.37.0", "1.3.6.1.4.1.311.20.2.1", "1.3.6.1.5.5.7.3.2"
KIND_BY_TYPE = {"users": "User", "groups": "Group", "computers": "Computer", "domains": "Domain",
                "ous": "OU", "containers": "Container", "gpos": "GPO", "certtemplates": "CertTemplate",
                "enterprisecas": "EnterpriseCA", "rootcas": "RootCA", "aiacas": "AIACA",
                "ntauthstores": "NTAuthStore", "issuancepolicies": "IssuancePolicy"}


class G:
    def __init__(self):
        self.kinds = collections.defaultdict(set)      # id -> kinds
        self.props = collections.defaultdict(dict)     # id -> properties
        self.raw = {}                                  # id -> raw json (last seen)
        self.out = collections.defaultdict(set)        # (kind) -> set of (src,dst)

    def node(self, oid, kind=None, props=None):
        if kind and kind not in ("Base", "LocalGroup"):
            self.kinds[oid].add(kind)
        elif kind == "LocalGroup":
            self.kinds[oid].add("LocalGroup")
        else:
            self.kinds[oid]
        if props:
            self.props[oid].update({k: v for k, v in props.items() if v is not None or k not in self.props[oid]})

    def edge(self, kind, s, d):
        self.out[kind].add((s, d))

    def starts(self, kind, dst):
        return {s for (s, d) in self.out[kind] if d == dst}

    def first_degree(self, dst, *kinds):
        r = set()
        for k in kinds:
            r |= self.starts(k, dst)
        return r


def load_dir(path, owns_mode):
    g = G()
    files = sorted(glob.glob(os.path.join(path, "*.json")))
    for f in files:
        try:
            doc = json.load(open(f, encoding="utf-8-sig"))
        except Exception:
            continue
        if not isinstance(doc, dict) or "meta" not in doc:
            continue
        t = doc["meta"]["type"]
        kind = KIND_BY_TYPE.get(t)
        if not kind:
            continue
        for o in doc["data"]:
            oid = o["ObjectIdentifier"]
            g.node(oid, kind, o.get("Properties") or {})
            g.raw.setdefault(oid, {}).update(o)
            for ace in (o.get("Aces") or []):
                add_ace(g, oid, ace, owns_mode)
            if kind == "Group":
                for m in (o.get("Members") or []):
                    g.node(m["ObjectIdentifier"], m.get("ObjectType"))
                    g.edge("MemberOf", m["ObjectIdentifier"], oid)
            if kind in ("User", "Computer") and o.get("PrimaryGroupSID"):
                g.node(o["PrimaryGroupSID"], "Group")
                g.edge("MemberOf", oid, o["PrimaryGroupSID"])
            if kind == "Computer":
                if o.get("IsDC") and o.get("DomainSID"):
                    g.node(o["DomainSID"], "Domain")
                    g.edge("DCFor", oid, o["DomainSID"])
                reg = o.get("DCRegistryData") or {}
                for key, prop in (("CertificateMappingMethods", "certificatemappingmethodsraw"),
                                  ("StrongCertificateBindingEnforcement", "strongcertificatebindingenforcementraw")):
                    v = reg.get(key)
                    if v and v.get("Collected"):
                        g.props[oid][prop] = v.get("Value")
            if kind == "Domain":
                for tr in (o.get("Trusts") or []):
                    tgt = tr["TargetDomainSid"]
                    g.node(tgt, "Domain", {"name": tr.get("TargetDomainName")})
                    ek = "SameForestTrust" if tr.get("TrustType") in ("ParentChild", "TreeRoot", "CrossLink") else "CrossForestTrust"
                    if tr["TrustDirection"] in ("Inbound", "Bidirectional"):
                        g.edge(ek, tgt, oid)
                    if tr["TrustDirection"] in ("Outbound", "Bidirectional"):
                        g.edge(ek, oid, tgt)
            if kind == "EnterpriseCA":
                enabled = []
                for tp in (o.get("EnabledCertTemplates") or []):
                    g.node(tp["ObjectIdentifier"], "CertTemplate")
                    g.edge("PublishedTo", tp["ObjectIdentifier"], oid)
                    enabled.append(tp["ObjectIdentifier"])
                if o.get("HostingComputer"):
                    g.node(o["HostingComputer"], "Computer")
                    g.edge("HostsCAService", o["HostingComputer"], oid)
                reg = o.get("CARegistryData") or {}
                ear = reg.get("EnrollmentAgentRestrictions") or {}
                if ear.get("Collected"):
                    g.props[oid]["hasenrollmentagentrestrictions"] = len(ear.get("Restrictions") or []) > 0
                    for rs in (ear.get("Restrictions") or []):
                        if rs.get("AccessType") != "AccessAllowedCallback":
                            continue
                        tpls = enabled if rs.get("AllTemplates") else [(rs.get("Template") or {}).get("ObjectIdentifier")]
                        ag = rs["Agent"]
                        g.node(ag["ObjectIdentifier"], ag.get("ObjectType"))
                        for tp in tpls:
                            if tp:
                                g.edge("DelegatedEnrollmentAgent", ag["ObjectIdentifier"], tp)
                san = reg.get("IsUserSpecifiesSanEnabled") or {}
                if san.get("Collected"):
                    g.props[oid]["isuserspecifiessanenabled"] = san.get("Value")
                cas = reg.get("CASecurity") or {}
                if cas.get("Collected"):   # handleEnterpriseCASecurity: registry ACL, minus LocalGroup principals and Owns
                    for ace in (cas.get("Data") or []):
                        if ace.get("PrincipalType") == "LocalGroup" or ace.get("RightName") == "Owns":
                            continue
                        add_ace(g, oid, ace, owns_mode)
            if kind in ("RootCA", "NTAuthStore") and o.get("DomainSID"):
                g.node(o["DomainSID"], "Domain")
                g.edge("RootCAFor" if kind == "RootCA" else "NTAuthStoreFor", oid, o["DomainSID"])
            if kind == "IssuancePolicy":
                gl = o.get("GroupLink") or {}
                if gl.get("ObjectIdentifier"):
                    g.node(gl["ObjectIdentifier"], gl.get("ObjectType"))
                    g.edge("OIDGroupLink", oid, gl["ObjectIdentifier"])
    link_well_known(g)
    return g


def add_ace(g, target, ace, owns_mode):
    p, r = ace["PrincipalSID"], ace["RightName"]
    if p == target:
        return
    g.node(p, ace.get("PrincipalType"))
    if r in ("Owns", "WriteOwner"):
        if owns_mode == "bhce":
            g.edge(r + "Raw", p, target)
            return
    if p.endswith("S-1-3-4"):   # OWNER RIGHTS aces -> OwnsLimitedRights machinery, not a plain edge
        return
    g.edge(r, p, target)


def link_well_known(g):
    # LinkWellKnownNodes (ad.go): per collected domain: DomainUsers->AU, DomainComputers->AU, AU->Everyone, Guest->Everyone
    for d in [n for n in g.kinds if "Domain" in g.kinds[n]]:
        pr = g.props[d]
        if not pr.get("collected"):
            continue
        name = pr.get("name")
        au, ev = f"{name}-{AU_SUFFIX}", f"{name}-{EVERYONE_SUFFIX}"
        for n in (au, ev, f"{d}-513", f"{d}-515"):
            g.node(n, "Group")
        g.edge("MemberOf", f"{d}-513", au)
        g.edge("MemberOf", f"{d}-515", au)
        g.edge("MemberOf", au, ev)
        if f"{d}-501" in g.kinds:
            g.edge("MemberOf", f"{d}-501", ev)


def is_group(g, n):
    return "Group" in g.kinds[n] or "LocalGroup" in g.kinds[n]


class Expansions:
    """groupExpansions.Cardinality(group) == all transitive members (inbound MemberOf reach)."""
    def __init__(self, g):
        self.members = collections.defaultdict(set)
        for (s, d) in g.out["MemberOf"]:
            self.members[d].add(s)
        self.cache = {}

    def of(self, grp):
        if grp in self.cache:
            return self.cache[grp]
        seen, stack = set(), [grp]
        while stack:
            x = stack.pop()
            for m in self.members.get(x, ()):
                if m not in seen and m != grp:
                    seen.add(m)
                    stack.append(m)
        self.cache[grp] = seen
        return seen


def special_groups(g):
    return {n for n in g.kinds if is_group(g, n) and (n.endswith(AU_SUFFIX) or n.endswith(EVERYONE_SUFFIX))}


def cross_product(g, X, *sets):
    """CalculateCrossProductNodeSets (ad.go)."""
    spec = special_groups(g)
    first, unrolled = [], []
    for s in sets:
        fd, un = set(s), set(s)
        for e in s:
            if is_group(g, e):
                un |= X.of(e)
        if not (un & spec):
            first.append(fd)
            unrolled.append(un)
    if not first:
        r = set()
        for s in sets:
            r |= set(s)
        return r
    if len(first) == 1:
        return set(first[0])
    check = set(unrolled[1])
    for u in unrolled[2:]:
        check &= u
    result, ref = set(), set()
    for i in first[0]:
        if i in check:
            result.add(i)
        else:
            ref |= X.of(i)
    groups = sorted([i for i in ref if len(X.of(i)) > 0], key=lambda i: len(X.of(i)))
    for gid in groups:
        if gid not in ref:
            continue
        if gid in check:
            result.add(gid)
            ref.discard(gid)
            ref ^= X.of(gid)
        else:
            ref.discard(gid)
    for i in ref:
        if i in check:
            result.add(i)
    return result


def b(p, k):
    v = p.get(k)
    if v is None:
        raise KeyError(k)
    return bool(v)


def f(p, k):
    v = p.get(k)
    if v is None:
        raise KeyError(k)
    return float(v)


def valid_user_victim(ct):   # certTemplateValidForUserVictim
    p = ct
    try:
        return not b(p, "subjectaltrequiredns") and not b(p, "subjectaltrequiredomaindns")
    except KeyError:
        return False


def filter_user_dns(g, bitmap, ctp):
    # newest esc_shared.go (0233d2a) exempts gMSA/sMSA users; fork 084bb42 does not (set ADCS_NO_GMSA_EXEMPT=1)
    exempt = os.environ.get("ADCS_NO_GMSA_EXEMPT") != "1"
    users = {n for n in bitmap if "User" in g.kinds[n] and not (exempt and (g.props[n].get("gmsa") or g.props[n].get("msa")))}
    if users and not valid_user_victim(ctp):
        return bitmap - users
    return bitmap


def schannel_auth(p):
    if "schannelauthenticationenabled" in p:
        return bool(p["schannelauthenticationenabled"])
    ek = p.get("effectiveekus")
    if ek is None:
        raise KeyError("effectiveekus")
    return EKU_CLIENT in ek or EKU_ANY in ek or len(ek) == 0


def expand_without_groups(g, X, nodes):
    out = set()
    for n in nodes:
        if is_group(g, n):
            out |= {m for m in X.of(n) if len(X.of(m)) == 0}   # fork semantics (newest: exclude all Group nodes)
        else:
            out.add(n)
    return out


def victim_bitmap(g, X, ct_enr, eca_enr, sp_ct, sp_eca):
    t, e = expand_without_groups(g, X, ct_enr), expand_without_groups(g, X, eca_enr)
    if not sp_ct and not sp_eca:
        return t & e
    v = set()
    if sp_ct:
        v |= e
    if sp_eca:
        v |= t
    return v


def contains_au_or_everyone(g, nodes):   # containsAuthUsersOrEveryone: direct, or special group is a DIRECT member of node
    spec = special_groups(g)
    for n in nodes:
        if n in spec:
            return True
        if is_group(g, n):
            for s in spec:
                if (s, n) in g.out["MemberOf"]:
                    return True
    return False


def inbound_reach(g, root, kinds):
    inc = collections.defaultdict(set)
    for k in kinds:
        for (s, d) in g.out[k]:
            inc[d].add(s)
    seen, stack = {root}, [root]
    while stack:
        x = stack.pop()
        for s in inc.get(x, ()):
            if s not in seen:
                seen.add(s)
                stack.append(s)
    seen.discard(root)
    return seen


def analyze(g, verbose=False):
    X = Expansions(g)
    K = lambda k: sorted(n for n in g.kinds if k in g.kinds[n])
    ecas, rcas, aias, cts, doms = K("EnterpriseCA"), K("RootCA"), K("AIACA"), K("CertTemplate"), K("Domain")
    res = collections.defaultdict(set)
    # ---- step 1 ----
    thumb = collections.defaultdict(list)
    for n in ecas + rcas + aias:
        t = g.props[n].get("certthumbprint")
        if t:
            thumb[t].append(n)
    for nt in K("NTAuthStore"):
        for t in (g.props[nt].get("certthumbprints") or []):
            for e in thumb.get(t, []):
                if "EnterpriseCA" in g.kinds[e]:
                    res["TrustedForNTAuth"].add((e, nt))
    for n in ecas + rcas + aias:
        ch = g.props[n].get("certchain") or []
        if len(ch) > 1:
            for p in thumb.get(ch[1], []):
                res["IssuedSignedBy"].add((n, p))
    for e in ecas:
        t = g.props[e].get("certthumbprint")
        if t:
            for p in thumb.get(t, []):
                if "RootCA" in g.kinds[p] or "AIACA" in g.kinds[p]:
                    res["EnterpriseCAFor"].add((e, p))
    ips = K("IssuancePolicy")
    for ct in cts:
        for pol in (g.props[ct].get("certificatepolicy") or []):
            for ip in ips:
                if g.props[ip].get("certtemplateoid") == pol and g.props[ct].get("domainsid") and \
                        g.props[ct].get("domainsid") == g.props[ip].get("domainsid"):
                    res["ExtendedByPolicy"].add((ct, ip))
    for k in ("TrustedForNTAuth", "IssuedSignedBy", "EnterpriseCAFor", "ExtendedByPolicy"):
        g.out[k] |= res[k]
    # ---- cache ----
    ct_enr = {ct: g.first_degree(ct, "Enroll", "GenericAll", "AllExtendedRights") for ct in cts}
    ct_ctl = {ct: g.first_degree(ct, "Owns", "GenericAll", "WriteDacl", "WriteOwner") for ct in cts}
    eca_enr = {e: g.starts("Enroll", e) for e in ecas}
    sp_ct = {ct: contains_au_or_everyone(g, ct_enr[ct]) for ct in cts}
    sp_eca = {e: contains_au_or_everyone(g, eca_enr[e]) for e in ecas}
    pub = {e: sorted(g.starts("PublishedTo", e) & set(cts)) for e in ecas}
    host_ok = {e: any(g.props[c].get("enabled") is True for c in g.starts("HostsCAService", e) if "Computer" in g.kinds[c]) for e in ecas}
    chain = {}
    for d in doms:
        rset = {n for n in inbound_reach(g, d, ("IssuedSignedBy", "EnterpriseCAFor", "RootCAFor")) if "EnterpriseCA" in g.kinds[n]}
        aset = set()
        for nt in g.starts("NTAuthStoreFor", d):
            aset |= {e for e in g.starts("TrustedForNTAuth", nt) if "EnterpriseCA" in g.kinds[e]}
        chain[d] = rset & aset
    forest_doms = {}
    for d in doms:
        fd = inbound_reach(g, d, ("SameForestTrust",)) | {d}
        forest_doms[d] = fd
    dcs_of = lambda d: {c for c in g.starts("DCFor", d) if "Computer" in g.kinds[c]}
    upn, weak = set(), set()
    for d in doms:
        for fd in forest_doms[d]:
            for dc in dcs_of(fd):
                cm = g.props[dc].get("certificatemappingmethodsraw")
                if cm is not None and int(cm) != -1 and int(cm) & 4:
                    upn.add(d)
                sc = g.props[dc].get("strongcertificatebindingenforcementraw")
                if sc is not None and int(sc) in (0, 1, -1):
                    weak.add(d)
    # ---- step 2: EnrollOnBehalfOf ----
    def ct_links_domain(ct, d):   # DoesCertTemplateLinkToDomain: path over PublishedTo/IssuedSignedBy/EnterpriseCAFor/RootCAFor
        return ct in inbound_reach(g, d, ("PublishedTo", "IssuedSignedBy", "EnterpriseCAFor", "RootCAFor"))
    v1 = [c for c in cts if g.props[c].get("schemaversion") == 1]
    v2 = [c for c in cts if (g.props[c].get("schemaversion") or 0) >= 2]
    eobo = set()
    stop = False
    for d in doms:
        if stop:
            break
        for e in ecas:
            if e in chain[d]:
                if not pub[e]:
                    stop = True     # BUG-compatible: `return nil` aborts the whole PostEnrollOnBehalfOf loop
                    break
                for c1 in pub[e]:
                    ek = g.props[c1].get("effectiveekus")
                    if ek is None:
                        continue
                    if EKU_ANY not in ek and EKU_CRA in ek:           # V2 rule
                        for c2 in v2:
                            p2 = g.props[c2]
                            if c2 != c1 and (p2.get("authorizedsignatures") or 0) >= 1 and \
                                    EKU_CRA in (p2.get("applicationpolicies") or []) and ct_links_domain(c2, d):
                                eobo.add((c1, c2))
                    if len(ek) == 0 or EKU_CRA in ek or EKU_ANY in ek:  # V1 rule
                        for c2 in v1:
                            if ct_links_domain(c2, d):
                                eobo.add((c1, c2))
    res["EnrollOnBehalfOf"] = eobo
    g.out["EnrollOnBehalfOf"] |= eobo
    # ---- per ECA ----
    for e in ecas:
        tds = [d for d in doms if e in chain[d] and host_ok[e]]
        if verbose:
            print(f"# ECA {g.props[e].get('name')} targetDomains={[g.props[d].get('name') for d in tds]} published={len(pub[e])} host_ok={host_ok[e]}")
        if not tds:
            continue
        for c in g.starts("HostsCAService", e):
            if "Computer" in g.kinds[c]:
                for d in tds:
                    res["GoldenCert"].add((c, d))
        ep = g.props[e]
        # ESC1
        for ct in pub[e]:
            p = g.props[ct]
            try:
                ok = not b(p, "requiresmanagerapproval") and b(p, "authenticationenabled") and b(p, "enrolleesuppliessubject") \
                    and not (f(p, "schemaversion") > 1 and f(p, "authorizedsignatures") > 0)
            except KeyError:
                ok = False
            if ok:
                for s in cross_product(g, X, ct_enr[ct], eca_enr[e]):
                    for d in tds:
                        res["ADCSESC1"].add((s, d))
        # ESC3
        if pub[e] and ep.get("enrollmentagentrestrictionscollected") is not None:
            ear = bool(ep.get("enrollmentagentrestrictionscollected")) and bool(ep.get("hasenrollmentagentrestrictions"))
            for ct2 in pub[e]:
                p2 = g.props[ct2]
                if not (p2.get("authenticationenabled") is True and p2.get("requiresmanagerapproval") is False):
                    continue
                for ct1 in sorted(g.starts("EnrollOnBehalfOf", ct2)):
                    p1 = g.props[ct1]
                    if p1.get("requiresmanagerapproval") is not False:
                        continue
                    sv = p1.get("schemaversion")
                    if not (sv == 1 or (sv is not None and sv > 1 and (p1.get("authorizedsignatures") or 0) <= 0)):
                        continue
                    ecas1 = [x for x in ecas if (ct1, x) in g.out["PublishedTo"]]
                    for e1 in ecas1:
                        sets = [ct_enr[ct1], ct_enr[ct2], eca_enr[e1], eca_enr[e]]
                        if ear:
                            sets.append(g.starts("DelegatedEnrollmentAgent", ct2))
                        for s in filter_user_dns(g, cross_product(g, X, *sets), p1):
                            for d in tds:
                                res["ADCSESC3"].add((s, d))
        # ESC4
        for ct in pub[e]:
            p = g.props[ct]
            if p.get("enrolleesuppliessubject") is None or p.get("requiresmanagerapproval") is None:
                continue
            gw, enr = g.starts("GenericWrite", ct), g.first_degree(ct, "Enroll", "AllExtendedRights")
            nf, ef = g.starts("WritePKINameFlag", ct), g.starts("WritePKIEnrollmentFlag", ct)
            pr = cross_product(g, X, eca_enr[e], ct_ctl[ct]) | cross_product(g, X, eca_enr[e], gw, enr)
            try:
                valid = b(p, "authenticationenabled") and not (f(p, "schemaversion") > 1 and f(p, "authorizedsignatures") > 0)
            except KeyError:
                valid = False
            if valid:
                pr |= cross_product(g, X, eca_enr[e], enr, nf, ef)
                if p["enrolleesuppliessubject"]:
                    pr |= cross_product(g, X, eca_enr[e], enr, ef)
                if not p["requiresmanagerapproval"]:
                    pr |= cross_product(g, X, eca_enr[e], enr, nf)
            for s in pr:
                for d in tds:
                    res["ADCSESC4"].add((s, d))
        # ESC6a / ESC6b
        if ep.get("isuserspecifiessanenabledcollected") and ep.get("isuserspecifiessanenabled"):
            for ct in pub[e]:
                p = g.props[ct]
                try:
                    base = not b(p, "requiresmanagerapproval") and not (f(p, "schemaversion") > 1 and f(p, "authorizedsignatures") > 0)
                except KeyError:
                    continue
                if not base:
                    continue
                enrs = filter_user_dns(g, cross_product(g, X, ct_enr[ct], eca_enr[e]), p)
                if p.get("nosecurityextension") and p.get("authenticationenabled"):
                    for s in enrs:
                        for d in tds:
                            res["ADCSESC6a"].add((s, d))
                try:
                    sch = schannel_auth(p)
                except KeyError:
                    sch = False
                if sch:
                    for s in enrs:
                        for d in tds:
                            if d in upn:
                                res["ADCSESC6b"].add((s, d))
        # ESC9 / ESC10
        if pub[e] and eca_enr[e]:
            for scen, edge_a, edge_b, dom_ok in (("9", "ADCSESC9a", "ADCSESC9b", weak), ("10", "ADCSESC10a", "ADCSESC10b", upn)):
                for b_scen in (False, True):
                    out = set()
                    for ct in pub[e]:
                        p = g.props[ct]
                        try:
                            if b(p, "requiresmanagerapproval"):
                                continue
                            if scen == "9":
                                if not b(p, "authenticationenabled") or not b(p, "nosecurityextension"):
                                    continue
                            else:
                                if not schannel_auth(p):
                                    continue
                            if b(p, "enrolleesuppliessubject"):
                                continue
                            if f(p, "schemaversion") > 1 and f(p, "authorizedsignatures") > 0:
                                continue
                            if not b_scen and not (b(p, "subjectaltrequireupn") or b(p, "subjectaltrequirespn")):
                                continue
                            if b_scen and not b(p, "subjectaltrequiredns"):
                                continue
                        except KeyError:
                            continue
                        if not ct_enr[ct]:
                            continue
                        vic = victim_bitmap(g, X, ct_enr[ct], eca_enr[e], sp_ct[ct], sp_eca[e])
                        if not b_scen:
                            vic = filter_user_dns(g, vic, p)
                        else:
                            vic = {v for v in vic if "Computer" in g.kinds[v]}
                        for k in ("GenericAll", "GenericWrite", "Owns", "WriteOwner", "WriteDacl"):
                            for (s, dst) in g.out[k]:
                                if dst in vic and g.kinds[s] & {"Group", "User", "Computer"}:
                                    out.add(s)
                    for s in out:
                        for d in tds:
                            if d in dom_ok:
                                res[edge_b if b_scen else edge_a].add((s, d))
        # ESC13
        for ct in pub[e]:
            p = g.props[ct]
            try:
                ok = not b(p, "requiresmanagerapproval") and b(p, "authenticationenabled") and \
                    not (f(p, "schemaversion") > 1 and f(p, "authorizedsignatures") > 0)
            except KeyError:
                ok = False
            if not ok:
                continue
            pols = {ip for (c, ip) in g.out["ExtendedByPolicy"] if c == ct}
            grps = {grp for (ip, grp) in g.out["OIDGroupLink"] if ip in pols and is_group(g, grp)}
            if not grps:
                continue
            ctl = filter_user_dns(g, cross_product(g, X, eca_enr[e], ct_enr[ct]), p)
            for grp in grps:
                for d in tds:
                    if d in inbound_reach(g, grp, ("Contains", "SameForestTrust")) or grp_in_domain(g, grp, d):
                        for s in ctl:
                            res["ADCSESC13"].add((s, grp))
    return res, {"chain": chain, "upn": upn, "weak": weak, "pub": pub, "ct_enr": ct_enr, "eca_enr": eca_enr, "host_ok": host_ok}


def grp_in_domain(g, grp, d):
    # Simplification of groupIsContainedOrTrusted: SharpHound 'Contains' edges come from ChildObjects/ContainedBy;
    # we approximate "group is contained (transitively) in domain d" by the group's domainsid == d.
    return g.props[grp].get("domainsid") == d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--owns", choices=["bhce", "harness"], default="bhce")
    ap.add_argument("--verbose", action="store_true")
    ap.add_argument("--compare")
    a = ap.parse_args()
    g = load_dir(a.dir, a.owns)
    res, info = analyze(g, a.verbose)
    nm = lambda i: g.props.get(i, {}).get("name") or i
    order = ["TrustedForNTAuth", "IssuedSignedBy", "EnterpriseCAFor", "ExtendedByPolicy", "EnrollOnBehalfOf", "GoldenCert",
             "ADCSESC1", "ADCSESC3", "ADCSESC4", "ADCSESC6a", "ADCSESC6b", "ADCSESC9a", "ADCSESC9b", "ADCSESC10a", "ADCSESC10b", "ADCSESC13"]
    print(f"== {a.dir} (owns mode: {a.owns})")
    for k in ("PublishedTo", "HostsCAService", "RootCAFor", "NTAuthStoreFor", "DelegatedEnrollmentAgent", "Enroll", "ManageCA", "ManageCertificates", "WritePKINameFlag", "WritePKIEnrollmentFlag", "OIDGroupLink"):
        print(f"ingest {k}: {len(g.out[k])}")
    for k in order:
        print(f"post   {k}: {len(res[k])}")
        if a.verbose:
            for (s, d) in sorted(res[k]):
                print(f"        {nm(s)} -> {nm(d)}")
    if a.compare:
        ref = json.load(open(a.compare))["graph"]
        refc = collections.defaultdict(set)
        for r in ref["edges"]:
            refc[r["kind"]].add((r["start"]["value"], r["end"]["value"]))
        print("== compare with", a.compare)
        for k in order:
            mine, theirs = res[k], refc.get(k, set())
            status = "OK" if mine == theirs else "DIFF"
            print(f"  {k}: mine={len(mine)} ref={len(theirs)} {status}")
            if mine != theirs:
                for x in sorted(mine - theirs):
                    print("     +", nm(x[0]), "->", nm(x[1]))
                for x in sorted(theirs - mine):
                    print("     -", nm(x[0]), "->", nm(x[1]))


if __name__ == "__main__":
    main()
