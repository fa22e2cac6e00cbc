#!/usr/bin/env python3
"""Writes acme.twin.json, the bundled sample twin: a fictional mid-size payments company.

Seeded and deterministic: `python3 make_acme_twin.py > acme.twin.json` reproduces the committed
file byte for byte (Python 3.8+, standard library only). Everything is fictional except the CVE
ids and their CVSS vectors, which are real (CISA Vulnrichment records, see ../../docs/formats.md, "The sample twin").

The company, "Acme Payments":
- internet-facing customer portal (PHP, CVE-2024-4577), SSL VPN (FortiOS, CVE-2024-23113) and
  Exchange (CVE-2024-21410); every employee can be phished with a per-department click rate;
- an Active Directory domain with OUs, GPOs, nested groups, helpdesk and server admins, admin
  sessions left on workstations, a kerberoastable SQL service account, a DCSync path;
- an AWS account with roles, an S3 bucket of model weights and the payment service;
- SaaS (Microsoft 365, Salesforce, GitHub, ServiceNow, Workday) behind Entra ID single sign-on;
- an AI copilot with access to the SharePoint document store, a customer-support AI agent that
  can query the customer database, and one unsanctioned AI note-taker (shadow AI);
- a managed-service provider with a remote-management trust into the server network;
- crown jewels with loss magnitudes in USD (90 % intervals, Open FAIR primary/secondary);
- four threats with annual frequencies, and evidence from a pentest in September 2026.
"""
import json
import random
import sys

rng = random.Random(20261127)

nodes = []
edges = []
node_ids = set()


def node(id, kind, name, **extra):
    assert id not in node_ids, id
    node_ids.add(id)
    n = {"id": id, "kind": kind, "name": name}
    n.update(extra)
    nodes.append(n)
    return id


def edge(src, dst, kind, p, **extra):
    assert src in node_ids and dst in node_ids, (src, dst)
    e = {"from": src, "to": dst, "kind": kind, "probability": round(p, 3)}
    e.update(extra)
    edges.append(e)


def lognormal(low, high):
    return {"dist": "lognormal", "low": float(low), "high": float(high)}


def pentest(status, note, control=None):
    ev = {"status": status, "date": "2026-09-18", "source": "pentest-2026-q3"}
    if control:
        ev["control"] = control
    ev["note"] = note
    return [ev]


# --- Outside: the internet and a supplier -------------------------------------------------------
node("internet", "internet", "Internet (external attacker)", entry_point=True)
node("vendor-msp", "third_party", "Northwind IT (managed-service provider)", entry_point=True,
     sanctioned=True, owner="procurement", tags=["supplier", "remote-management"])

# --- Network segments ---------------------------------------------------------------------------
for seg, name in [("net-dmz", "DMZ"), ("net-corp", "Corporate LAN"), ("net-servers", "Server VLAN"),
                  ("net-pci", "PCI cardholder zone")]:
    node(seg, "network_segment", name, owner="network-team")

# --- Exposed services with real CVEs ------------------------------------------------------------
node("web-portal", "web_application", "Customer portal (PHP on Windows)", internet_exposed=True,
     criticality="high", owner="digital-team", business_unit="Digital",
     controls=[{"kind": "waf", "name": "Cloud WAF", "effectiveness": 0.5}])
edge("internet", "web-portal", "exploits", 0.6,
     vulnerabilities=[{"cve": "CVE-2024-4577", "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
     evidence=pentest("validated", "PHP-CGI argument injection reached code execution as the app pool"))
node("vpn", "vpn_gateway", "SSL VPN (FortiGate)", internet_exposed=True, criticality="high",
     owner="network-team", controls=[{"kind": "mfa", "name": "Entra ID MFA", "effectiveness": 0.9}])
edge("internet", "vpn", "exploits", 0.35,
     vulnerabilities=[{"cve": "CVE-2024-23113",
                       "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:H/RL:U/RC:C"}],
     evidence=pentest("blocked", "format-string exploit stopped by the IPS signature", control="FortiGuard IPS"))
node("mail", "server", "Exchange 2019 (mail.acme.example)", internet_exposed=True, criticality="high",
     owner="it-ops")
edge("internet", "mail", "exploits", 0.3,
     vulnerabilities=[{"cve": "CVE-2024-21410",
                       "cvss": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:F/RL:O/RC:C"}])
edge("web-portal", "net-dmz", "network_reach", 1.0)
edge("vpn", "net-corp", "network_reach", 1.0)
edge("mail", "net-servers", "network_reach", 1.0)
edge("net-dmz", "net-servers", "network_reach", 0.4)  # a few permissive firewall rules

# --- Active Directory ---------------------------------------------------------------------------
node("acme.local", "domain", "ACME.LOCAL", privileged=True, criticality="critical")
for ou in ["Workstations", "Servers", "Users", "Admins", "Service Accounts"]:
    node("ou-" + ou.lower().replace(" ", "-"), "ou", ou + " OU")
    edge("acme.local", "ou-" + ou.lower().replace(" ", "-"), "contains", 1.0)
for gpo, ou in [("gpo-default-domain", "acme.local"), ("gpo-workstation-baseline", "ou-workstations"),
                ("gpo-server-baseline", "ou-servers"), ("gpo-laps", "ou-workstations"),
                ("gpo-admin-tiering", "ou-admins"), ("gpo-legacy-logon-script", "ou-users")]:
    node(gpo, "gpo", gpo.replace("gpo-", "").replace("-", " ").title() + " GPO")
    edge(gpo, ou, "gp_link", 1.0)

dc_loss = {"primary": lognormal(2e6, 12e6), "secondary": lognormal(1e6, 20e6),
           "secondary_probability": 0.6}
for dc in ["dc01", "dc02"]:
    node(dc, "server", dc.upper() + " domain controller", crown_jewel=(dc == "dc01"), privileged=True,
         criticality="critical", owner="it-ops", tags=["domain-controller", "tier-0"],
         **({"loss": dc_loss} if dc == "dc01" else {}))
    edge(dc, "acme.local", "dc_sync", 1.0)  # owning a DC owns the domain
    edge("acme.local", dc, "contains", 1.0)
edge("dc02", "dc01", "admin_to", 1.0)

groups = {
    "g-domain-admins": ("Domain Admins", True), "g-enterprise-admins": ("Enterprise Admins", True),
    "g-server-admins": ("Server Admins", True), "g-workstation-admins": ("Workstation Admins", False),
    "g-helpdesk": ("Helpdesk", False), "g-dbas": ("Database Admins", True),
    "g-cloud-admins": ("Cloud Admins", True), "g-developers": ("Developers", False),
    "g-finance": ("Finance", False), "g-sales": ("Sales", False), "g-hr": ("HR", False),
    "g-support": ("Customer Support", False), "g-engineering": ("Engineering", False),
    "g-executives": ("Executives", True), "g-vpn-users": ("VPN Users", False),
    "g-all-staff": ("All Staff", False), "g-backup-operators": ("Backup Operators", True),
}
for gid, (name, priv) in groups.items():
    node(gid, "group", name, privileged=priv)
edge("g-domain-admins", "acme.local", "generic_all", 1.0)
edge("g-enterprise-admins", "acme.local", "generic_all", 1.0)
edge("g-domain-admins", "dc01", "admin_to", 0.95)
edge("g-domain-admins", "dc02", "admin_to", 0.95)
edge("g-backup-operators", "dc01", "admin_to", 0.6)  # backup rights on the DC: ntds.dit copy
edge("g-helpdesk", "g-workstation-admins", "member_of", 1.0)
edge("g-helpdesk", "g-vpn-users", "add_member", 0.9)
edge("g-server-admins", "g-backup-operators", "generic_write", 0.8)  # a forgotten ACL
edge("g-engineering", "g-developers", "add_self", 0.5)
for dept in ["g-finance", "g-sales", "g-hr", "g-support", "g-engineering", "g-developers", "g-executives"]:
    edge(dept, "g-all-staff", "member_of", 1.0)
edge("gpo-legacy-logon-script", "g-all-staff", "generic_write", 0.3)

# --- People, their workstations and accounts ----------------------------------------------------
first = ["Ana", "Ben", "Chloe", "Dev", "Eli", "Fatima", "Gus", "Hana", "Ivan", "Jin", "Kofi", "Lena",
         "Marco", "Nia", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tariq", "Uma", "Viktor", "Wen", "Yara",
         "Zoe"]
last = ["Adams", "Brown", "Chen", "Diaz", "Evans", "Fischer", "Garcia", "Hughes", "Ito", "Jones",
        "Kim", "Lopez", "Muller", "Nowak", "Okafor", "Patel", "Rossi", "Silva", "Tanaka", "Weber"]
departments = [("g-finance", "Finance", 40, 0.09), ("g-sales", "Sales", 60, 0.11),
               ("g-hr", "HR", 15, 0.10), ("g-support", "Customer Support", 70, 0.12),
               ("g-engineering", "Engineering", 80, 0.05), ("g-executives", "Executives", 8, 0.07),
               ("g-helpdesk", "IT", 12, 0.04)]
users = []
for gid, unit, count, click_rate in departments:
    for i in range(count):
        uid = "u%03d" % (len(users) + 1)
        name = "%s %s" % (rng.choice(first), rng.choice(last))
        exec_ = gid == "g-executives"
        node(uid, "user", name, business_unit=unit, privileged=exec_, tags=["employee"])
        edge("internet", uid, "phishing", click_rate * rng.uniform(0.7, 1.3),
             controls=[{"kind": "email_filtering", "name": "Defender for Office 365", "effectiveness": 0.6}])
        edge(uid, gid, "member_of", 1.0)
        edge(uid, "g-all-staff", "member_of", 1.0)
        if gid in ("g-engineering", "g-helpdesk", "g-executives") or rng.random() < 0.3:
            edge(uid, "g-vpn-users", "member_of", 1.0)
        ws = "ws-%03d" % (len(users) + 1)
        node(ws, "workstation", "%s's laptop" % name, business_unit=unit, owner=uid,
             controls=[{"kind": "edr", "name": "Defender for Endpoint", "effectiveness": 0.4}])
        edge(ws, uid, "has_session", 0.7)  # credential theft from the user's own session
        edge(uid, ws, "admin_to", 0.15)  # some users keep local admin
        edge(ws, "net-corp", "network_reach", 1.0)
        edge("g-workstation-admins", ws, "admin_to", 0.9)
        users.append((uid, gid, ws))
edge("g-vpn-users", "vpn", "can_access", 0.9)
edge("vpn", "g-vpn-users", "uses_credential", 0.05)  # a stolen VPN token, rarely without MFA

# Pentest: finance users clicked in the campaign.
for uid, gid, ws in users:
    if gid == "g-finance" and int(uid[1:]) % 7 == 0:
        for e in edges:
            if e["from"] == "internet" and e["to"] == uid:
                e["evidence"] = pentest("validated", "clicked the September phishing simulation")

# Admin accounts (tiered) and the sessions they leave behind.
admins = []
for i, (group, role) in enumerate([("g-domain-admins", "da"), ("g-domain-admins", "da"),
                                   ("g-server-admins", "sa"), ("g-server-admins", "sa"),
                                   ("g-server-admins", "sa"), ("g-dbas", "dba"), ("g-dbas", "dba"),
                                   ("g-cloud-admins", "ca"), ("g-cloud-admins", "ca"),
                                   ("g-helpdesk", "hd"), ("g-helpdesk", "hd"), ("g-helpdesk", "hd"),
                                   ("g-enterprise-admins", "ea"), ("g-backup-operators", "bo"),
                                   ("g-workstation-admins", "wa")]):
    owner = users[len(users) - 1 - i]
    aid = "adm-%s%02d" % (role, i + 1)
    node(aid, "user", "%s (admin account)" % nodes[[n["id"] for n in nodes].index(owner[0])]["name"],
         privileged=True, business_unit="IT", tags=["admin-account"],
         controls=[{"kind": "pam", "name": "CyberArk vault", "effectiveness": 0.5}])
    edge(aid, group, "member_of", 1.0)
    edge(owner[2], aid, "has_session", 0.4)  # admins who log in from their daily laptop
    admins.append((aid, group))
helpdesk_admins = [a for a, g in admins if g == "g-helpdesk"]
for uid, gid, ws in rng.sample(users, 25):  # helpdesk sessions left on users' machines
    edge(ws, rng.choice(helpdesk_admins), "has_session", 0.6)
for aid, group in admins:
    if group in ("g-server-admins", "g-domain-admins"):
        edge(rng.choice(users)[2], aid, "has_session", 0.5)  # one tier-0 slip each

# --- Servers --------------------------------------------------------------------------------------
servers = [
    ("srv-file01", "File server", "server", None), ("srv-file02", "File server (archive)", "server", None),
    ("srv-print01", "Print server", "server", None), ("srv-sql01", "SQL Server (CRM)", "database", None),
    ("srv-backup01", "Veeam backup server", "server", None), ("srv-jenkins", "Jenkins CI", "server",
     ("CVE-2024-23897", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0.5)),
    ("srv-teamcity", "TeamCity build server", "server",
     ("CVE-2024-27198", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0.55)),
    ("srv-confluence", "Confluence wiki", "web_application",
     ("CVE-2023-22515", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0.5)),
    ("srv-rmm", "Remote-management server (MSP)", "server", None),
    ("srv-sysaid", "SysAid help desk", "web_application",
     ("CVE-2023-47246", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 0.45)),
    ("srv-erp", "ERP (Apache OFBiz)", "application",
     ("CVE-2024-38856", "CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:N", 0.4)),
    ("srv-linux-jump", "Linux jump host", "server",
     ("CVE-2024-1086", "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 0.6)),
]
for i in range(1, 21):
    servers.append(("srv-app%02d" % i, "Application server %d" % i, "server", None))
for sid, name, kind, cve in servers:
    node(sid, kind, name, owner="it-ops", criticality="medium",
         controls=[{"kind": "edr", "name": "Defender for Endpoint", "effectiveness": 0.4}])
    edge("g-server-admins", sid, "admin_to", 0.9)
    edge(sid, "net-servers", "network_reach", 1.0)
    if cve:
        edge("net-corp", sid, "exploits", cve[2], vulnerabilities=[{"cve": cve[0], "cvss": cve[1]}])
        edge("net-dmz", sid, "exploits", cve[2] * 0.5, vulnerabilities=[{"cve": cve[0], "cvss": cve[1]}])
    for aid, group in admins:
        if group == "g-server-admins" and rng.random() < 0.3:
            edge(sid, aid, "has_session", 0.6)
edge("net-corp", "srv-file01", "network_reach", 0.3)  # anonymous SMB share with scripts
edge("srv-file01", "adm-sa03", "uses_credential", 0.5)  # a password in a deployment script
edge("g-all-staff", "srv-file01", "can_access", 1.0)
edge("vendor-msp", "srv-rmm", "trusts", 0.25)
edge("srv-rmm", "net-servers", "network_reach", 1.0)
edge("srv-rmm", "g-server-admins", "uses_credential", 0.7)  # the RMM agent runs as a server admin
edge("srv-backup01", "g-backup-operators", "uses_credential", 0.8)
edge("srv-jenkins", "srv-app01", "admin_to", 0.8)  # deploys the ERP front end
edge("srv-linux-jump", "net-pci", "network_reach", 1.0)
edge("g-dbas", "srv-sql01", "sql_admin", 0.95)

# Service accounts: kerberoastable SQL account, backup, CI deploy.
node("svc-sql", "service_account", "svc_sql (SQL Server service)", privileged=True,
     tags=["kerberoastable"], evidence=pentest("validated", "kerberoasted; password cracked in 4 hours"))
edge("net-corp", "svc-sql", "uses_credential", 0.3)  # kerberoast from any domain user
edge("svc-sql", "srv-sql01", "admin_to", 1.0)
edge("svc-sql", "g-server-admins", "member_of", 1.0)  # the mistake that makes it dangerous
node("svc-backup", "service_account", "svc_backup (Veeam)", privileged=True)
edge("svc-backup", "g-backup-operators", "member_of", 1.0)
edge("srv-backup01", "svc-backup", "has_session", 0.8)
node("svc-deploy", "service_account", "svc_deploy (CI deploy)")
edge("srv-jenkins", "svc-deploy", "uses_credential", 0.9)
edge("srv-teamcity", "svc-deploy", "uses_credential", 0.9)
node("gmsa-web", "service_account", "gMSA for the customer portal")
edge("web-portal", "gmsa-web", "has_session", 0.9)
edge("gmsa-web", "srv-sql01", "can_access", 0.7)
edge("g-helpdesk", "svc-deploy", "force_change_password", 0.5)
node("cert-template-user", "certificate_template", "UserAuthentication template (ESC1)")
node("acme-ca", "certificate_authority", "ACME Issuing CA", privileged=True)
edge("g-all-staff", "cert-template-user", "enroll", 0.6,
     evidence=pentest("validated", "ESC1: requested a certificate for a domain admin"))
edge("cert-template-user", "acme-ca", "contains", 1.0)
edge("acme-ca", "acme.local", "trusts", 0.9)

# --- Crown jewels on premises and in the PCI zone ------------------------------------------------
node("customer-db", "database", "Customer database (PostgreSQL, 2.1 M records)", crown_jewel=True,
     criticality="critical", owner="data-platform", business_unit="Digital",
     loss={"primary": lognormal(1.5e6, 9e6), "secondary": lognormal(2e6, 40e6),
           "secondary_probability": 0.7, "annual_cap": 60e6},
     controls=[{"kind": "dlp", "name": "Database activity monitoring", "effectiveness": 0.3}])
edge("srv-sql01", "customer-db", "data_flow", 0.9)
edge("g-dbas", "customer-db", "admin_to", 0.95)
edge("gmsa-web", "customer-db", "has_permission", 0.8)
edge("net-servers", "customer-db", "network_reach", 0.2)
node("payment-service", "application", "Payment processing service", crown_jewel=True,
     criticality="critical", owner="payments", business_unit="Payments",
     loss={"primary": lognormal(3e6, 20e6), "secondary": lognormal(5e6, 80e6),
           "secondary_probability": 0.8, "annual_cap": 150e6})
edge("net-pci", "payment-service", "network_reach", 0.5)

# --- Cloud ---------------------------------------------------------------------------------------
node("aws-prod", "cloud_account", "AWS account acme-prod", privileged=True, criticality="critical")
node("role-admin", "role", "AWS role OrganizationAdmin", privileged=True)
node("role-ci-deploy", "role", "AWS role ci-deploy")
node("role-ml-readonly", "role", "AWS role ml-readonly")
node("role-payments-app", "role", "AWS role payments-app")
edge("g-cloud-admins", "role-admin", "can_assume_role", 0.9)
edge("svc-deploy", "role-ci-deploy", "can_assume_role", 1.0)
edge("g-developers", "role-ml-readonly", "can_assume_role", 1.0)
edge("role-admin", "aws-prod", "admin_to", 1.0)
edge("role-ci-deploy", "role-payments-app", "can_assume_role", 0.7)  # an over-broad trust policy
edge("role-ci-deploy", "aws-prod", "has_permission", 0.3)
node("s3-model-weights", "storage", "S3 bucket acme-ml-models", owner="ml-team",
     tags=["s3", "ai"])
node("model-weights", "ai_model", "Fraud-detection model weights", crown_jewel=True,
     criticality="high", owner="ml-team", business_unit="Payments",
     loss={"primary": lognormal(4e5, 3e6), "secondary": lognormal(5e5, 8e6),
           "secondary_probability": 0.4})
edge("s3-model-weights", "model-weights", "contains", 1.0)
edge("role-ml-readonly", "s3-model-weights", "has_permission", 0.9)
edge("role-ci-deploy", "s3-model-weights", "has_permission", 0.8)
edge("aws-prod", "s3-model-weights", "contains", 1.0)
node("payments-ecs", "container", "Payments containers (ECS)", owner="payments")
edge("role-payments-app", "payments-ecs", "admin_to", 1.0)
edge("payments-ecs", "payment-service", "data_flow", 0.9)
edge("aws-prod", "payments-ecs", "contains", 1.0)
node("secrets-manager", "secret_store", "AWS Secrets Manager (prod)", privileged=True)
edge("aws-prod", "secrets-manager", "contains", 1.0)
edge("secrets-manager", "customer-db", "uses_credential", 0.9)

# --- Identity provider and SaaS ----------------------------------------------------------------------
node("entra", "tenant", "Entra ID tenant acme.example", privileged=True)
edge("acme.local", "entra", "federated_with", 0.8)  # AD Connect: on-prem admins reach the cloud
saas = [("m365", "Microsoft 365"), ("salesforce", "Salesforce"), ("github", "GitHub Enterprise"),
        ("servicenow", "ServiceNow"), ("workday", "Workday")]
for sid, name in saas:
    node(sid, "saas_application", name, owner="it-saas",
         controls=[{"kind": "conditional_access", "name": "Entra Conditional Access", "effectiveness": 0.5}])
    edge("entra", sid, "authenticates_to", 1.0)
for uid, gid, ws in users:
    edge(uid, "m365", "can_access", 0.8)
    if gid == "g-sales":
        edge(uid, "salesforce", "can_access", 0.8)
    if gid in ("g-engineering",):
        edge(uid, "github", "can_access", 0.8)
    if gid == "g-hr":
        edge(uid, "workday", "can_access", 0.8)
edge("servicenow", "srv-sysaid", "data_flow", 0.2)
node("source-code", "code_repository", "Source code (GitHub org acme)", crown_jewel=True,
     criticality="high", owner="engineering", business_unit="Engineering",
     loss={"primary": lognormal(3e5, 2.5e6), "secondary": lognormal(2e5, 10e6),
           "secondary_probability": 0.3})
edge("github", "source-code", "contains", 0.9)
edge("g-developers", "source-code", "has_permission", 0.9)
edge("source-code", "svc-deploy", "uses_credential", 0.3)  # a CI token committed by mistake
node("servicenow-itsm", "application", "ServiceNow ITSM instance")
edge("servicenow", "servicenow-itsm", "contains", 1.0)
edge("internet", "servicenow-itsm", "exploits", 0.15,
     vulnerabilities=[{"cve": "CVE-2024-4879",
                       "cvss": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],
     evidence=pentest("not_tested", "SaaS: out of the pentest's scope"))

# --- AI -------------------------------------------------------------------------------------------------
node("sharepoint", "document_store", "SharePoint Online (all documents)", owner="it-saas",
     criticality="high")
edge("m365", "sharepoint", "contains", 1.0)
node("m365-copilot", "ai_copilot", "Microsoft 365 Copilot", owner="it-saas",
     controls=[{"kind": "ai_guardrail", "name": "Prompt Shields", "effectiveness": 0.5}])
edge("internet", "m365-copilot", "prompt_injection", 0.08)  # instructions hidden in inbound mail
edge("m365-copilot", "sharepoint", "has_permission", 0.9)
edge("g-all-staff", "m365-copilot", "can_access", 0.9)
node("board-papers", "document_store", "Board and M&A documents", crown_jewel=True,
     criticality="critical", owner="legal", business_unit="Executive",
     loss={"primary": lognormal(2e5, 2e6), "secondary": lognormal(1e6, 25e6),
           "secondary_probability": 0.5})
edge("sharepoint", "board-papers", "contains", 0.2)  # mostly in a restricted site
edge("m365-copilot", "board-papers", "data_flow", 0.3,
     evidence=pentest("validated", "Copilot summarised a restricted board paper for a non-member"))
edge("g-executives", "board-papers", "has_permission", 0.9)
node("support-agent", "ai_agent", "Customer-support AI agent (tool use)", owner="digital-team",
     business_unit="Digital", controls=[{"kind": "ai_guardrail", "name": "Output filter", "effectiveness": 0.3}])
edge("internet", "support-agent", "prompt_injection", 0.12)  # a support ticket carrying instructions
edge("support-agent", "customer-db", "has_permission", 0.5)  # its lookup tool can read any customer
edge("g-support", "support-agent", "can_access", 0.9)
node("llm-gateway", "ai_model", "Hosted LLM (via gateway)", owner="digital-team")
edge("support-agent", "llm-gateway", "data_flow", 1.0)
node("notes-ai", "ai_agent", "NoteGenie AI meeting notes (unsanctioned)", sanctioned=False,
     tags=["shadow-ai"], owner="unknown", business_unit="Finance",
     loss={"primary": lognormal(5e4, 5e5), "secondary": lognormal(1e5, 3e6),
           "secondary_probability": 0.3})
for uid, gid, ws in users:
    if gid in ("g-finance", "g-executives") and rng.random() < 0.5:
        edge(uid, "notes-ai", "data_flow", 0.6)
edge("internet", "notes-ai", "exploits", 0.05)  # the vendor's own breach

# --- Threats ---------------------------------------------------------------------------------------------------
# Frequencies are events per year that reach the estate (contact and action); the attack graph
# supplies how often they get through. A full ransomware intrusion every two to twenty years, a
# successful phishing foothold a few times in ten years: ALE in the tens of millions for this
# deliberately weak posture (docs/api.md, "Loss exposure in money"). detect_hours is the SOC's time to detect
# and contain (median dwell times of a few days for ransomware, weeks to months for suppliers, as
# incident-response reports give them); prompt injection is not monitored at all.
threats = [
    {"id": "ransomware", "name": "Ransomware affiliates", "frequency": lognormal(0.05, 0.5),
     "entry_points": ["internet"], "detect_hours": lognormal(24, 720)},
    {"id": "bec-phishing", "name": "Financially motivated phishing crews", "frequency": lognormal(0.2, 2),
     "entry_points": ["internet"], "capability": 0.6, "detect_hours": lognormal(4, 336)},
    {"id": "supply-chain", "name": "Supplier compromise", "frequency": lognormal(0.02, 0.2),
     "entry_points": [{"node": "vendor-msp", "weight": 3.0}, "internet"],  # mostly through the MSP
     "detect_hours": lognormal(168, 8760)},
    {"id": "ai-abuse", "name": "Prompt-injection opportunists",
     "frequency": {"dist": "pert", "min": 0.1, "mode": 0.5, "max": 2.0},
     "entry_points": ["internet"], "capability": 0.5},
]

doc = {
    "twinrisk": 1,
    "name": "Acme Payments (fictional sample)",
    "currency": "USD",
    "metadata": {"generator": "examples/data/make_acme_twin.py", "seed": 20261127,
                 "description": "Fictional mid-size payments company; CVE ids and CVSS vectors are real.",
                 "pentest": "pentest-2026-q3, 2026-09-18",
                 # The annual loss the board accepts (USD): the CISO report's score and chart use it.
                 "risk_appetite": 5000000},
    "nodes": nodes,
    "edges": edges,
    "threats": threats,
}

# twinrisk's own writer puts members in a fixed order and leaves out defaults; do the same so
# that reading and writing this file with twinrisk reproduces it byte for byte.
NODE_ORDER = ["id", "kind", "name", "tags", "owner", "business_unit", "entry_point", "internet_exposed",
              "crown_jewel", "sanctioned", "privileged", "criticality", "gate", "loss", "evidence",
              "controls", "properties"]
EDGE_ORDER = ["from", "to", "kind", "probability", "vulnerabilities", "evidence", "controls"]
LOSS_ORDER = ["primary", "secondary", "secondary_probability", "annual_cap"]
EVIDENCE_ORDER = ["status", "date", "source", "control", "note"]
THREAT_ORDER = ["id", "name", "frequency", "entry_points", "capability", "detect_hours"]
DEFAULTS = {"entry_point": False, "internet_exposed": False, "crown_jewel": False, "sanctioned": True,
            "privileged": False}


def ordered(obj, order):
    assert set(obj) <= set(order), set(obj) - set(order)
    return {k: obj[k] for k in order if k in obj and DEFAULTS.get(k, object()) != obj[k]}


for i, n in enumerate(nodes):
    if "loss" in n:
        n["loss"] = ordered(n["loss"], LOSS_ORDER)
    if "evidence" in n:
        n["evidence"] = [ordered(e, EVIDENCE_ORDER) for e in n["evidence"]]
    nodes[i] = ordered(n, NODE_ORDER)
for i, e in enumerate(edges):
    if "evidence" in e:
        e["evidence"] = [ordered(x, EVIDENCE_ORDER) for x in e["evidence"]]
    edges[i] = ordered(e, EDGE_ORDER)
# A twin keeps edges grouped by source node, in node order (its CSR layout).
position = {n["id"]: i for i, n in enumerate(nodes)}
edges.sort(key=lambda e: position[e["from"]])
threats = [ordered(t, THREAT_ORDER) for t in threats]
doc["nodes"], doc["edges"], doc["threats"] = nodes, edges, threats

# The layout of twinrisk's own writer: one node, edge or threat per line.
out = sys.stdout
out.write("{\n")
members = list(doc.items())
for i, (key, value) in enumerate(members):
    out.write("  %s: " % json.dumps(key))
    if isinstance(value, list):
        out.write("[\n    " + ",\n    ".join(json.dumps(v, separators=(",", ":"), ensure_ascii=False)
                                          for v in value) + "\n  ]")
    else:
        out.write(json.dumps(value, separators=(",", ":"), ensure_ascii=False, sort_keys=True))
    out.write(",\n" if i + 1 < len(members) else "\n")
out.write("}\n")
