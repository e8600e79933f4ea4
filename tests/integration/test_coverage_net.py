# Network events: python3 clients and servers over TCP (IPv4, IPv6), UDP,
# Unix sockets (paths and abstract names) and raw sockets.  The program
# prints what it saw (ports, fds); the trace must say exactly the same.
import json

import pytest

from conftest import PYTHON, run_trace

pytestmark = pytest.mark.usefixtures("root")


TCP = r"""
import json, socket
out, keep = {}, []
for fam, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    srv = socket.socket(fam, socket.SOCK_STREAM)
    srv.bind((host, 0))
    srv.listen(7)
    port = srv.getsockname()[1]
    c = socket.socket(fam, socket.SOCK_STREAM)
    c.connect((host, port))
    a, peer = srv.accept()
    keep += [srv, c, a]
    out[host] = {"port": port, "client_port": c.getsockname()[1], "peer_port": peer[1],
                 "srv": srv.fileno(), "cli": c.fileno(), "acc": a.fileno()}
    c.sendall(b"never in the trace")
# A v4-mapped address is shown as the IPv4 address it reaches.
m = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
m.connect(("::ffff:127.0.0.1", out["127.0.0.1"]["port"]))
out["mapped"] = {"fd": m.fileno(), "client_port": m.getsockname()[1]}
# Nothing listens on the port a closed listener had.
probe = socket.socket()
probe.bind(("127.0.0.1", 0))
closed_port = probe.getsockname()[1]
probe.close()
r = socket.socket()
try:
    r.connect(("127.0.0.1", closed_port))
except ConnectionRefusedError:
    out["refused"] = {"fd": r.fileno(), "port": closed_port}
print(json.dumps(out))
"""


def net_events(t, type_, syscall=None):
    return [e for e in t.of_type(type_) if syscall is None or e["syscall"] == syscall]


def by_fd(events, fd):
    found = [e for e in events if e["net"].get("fd") == fd]
    assert len(found) == 1, (fd, events)
    return found[0]


def test_tcp_v4_v6(tmp_path):
    (tmp_path / "t.py").write_text(TCP)
    t = run_trace(tmp_path, [PYTHON, str(tmp_path / "t.py")])
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)
    for host, fam in (("127.0.0.1", "AF_INET"), ("::1", "AF_INET6")):
        o = out[host]
        sock = [e for e in net_events(t, "net.socket") if e["ret"] == o["srv"]
                and e["net"]["family"] == fam]
        assert sock and sock[0]["net"]["type"] == "SOCK_STREAM"
        assert sock[0]["net"]["flags"] == ["SOCK_CLOEXEC"]

        b = by_fd([e for e in net_events(t, "net.bind") if e["net"]["family"] == fam], o["srv"])
        assert b["ret"] == 0
        assert b["net"] == {"fd": o["srv"], "family": fam, "address": host, "port": 0,
                            "type": "SOCK_STREAM", "protocol": "IPPROTO_TCP",
                            "local_address": host, "local_port": o["port"]}

        li = by_fd([e for e in net_events(t, "net.listen") if e["net"]["family"] == fam],
                   o["srv"])
        assert li["ret"] == 0
        assert li["net"] == {"fd": o["srv"], "family": fam, "type": "SOCK_STREAM",
                             "protocol": "IPPROTO_TCP", "address": host, "port": o["port"],
                             "backlog": 7}

        co = [e for e in net_events(t, "net.connect")
              if e["net"].get("fd") == o["cli"] and e["net"].get("port") == o["port"]]
        assert len(co) == 1 and co[0]["ret"] == 0
        assert co[0]["net"] == {"fd": o["cli"], "family": fam, "address": host,
                                "port": o["port"], "type": "SOCK_STREAM",
                                "protocol": "IPPROTO_TCP", "local_address": host,
                                "local_port": o["client_port"]}

        ac = [e for e in net_events(t, "net.accept") if e["ret"] == o["acc"]
              and e["net"]["family"] == fam]
        assert len(ac) == 1
        assert ac[0]["net"] == {"fd": o["srv"], "family": fam, "type": "SOCK_STREAM",
                                "protocol": "IPPROTO_TCP", "address": host,
                                "port": o["peer_port"], "local_address": host,
                                "local_port": o["port"], "flags": ["SOCK_CLOEXEC"]}
        assert o["peer_port"] == o["client_port"]

    m = [e for e in net_events(t, "net.connect") if e["net"]["fd"] == out["mapped"]["fd"]
         and e["net"]["family"] == "AF_INET6" and e["ret"] == 0]
    assert len(m) == 1
    assert m[0]["net"]["address"] == "127.0.0.1"
    assert m[0]["net"]["local_address"] == "127.0.0.1"
    assert m[0]["net"]["local_port"] == out["mapped"]["client_port"]

    ref = [e for e in net_events(t, "net.connect")
           if e["net"].get("port") == out["refused"]["port"]]
    assert len(ref) == 1 and ref[0]["ret"] == -111 and ref[0]["error"] == "ECONNREFUSED"
    # Payloads are never captured; a connected send is not a separate event.
    assert "never in the trace" not in (tmp_path / "trace.jsonl").read_text()
    assert not [e for e in net_events(t, "net.send") if e["net"]["fd"] == out["::1"]["cli"]]


UDP_UNIX = r"""
import json, os, socket, sys
d = sys.argv[1]
out = {}
rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
rx.bind(("127.0.0.1", 0))
port = rx.getsockname()[1]
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
out["sendto"] = {"fd": u.fileno(), "ret": u.sendto(b"12345", ("127.0.0.1", port)),
                 "local_port": u.getsockname()[1], "port": port}
m = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
out["sendmsg"] = {"fd": m.fileno(), "ret": m.sendmsg([b"ab", b"c"], [], 0, ("127.0.0.1", port))}
path = os.path.join(d, "srv.sock")
us = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
us.bind(path)
us.listen()
uc = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
uc.connect(path)
out["unix"] = {"srv": us.fileno(), "cli": uc.fileno(), "path": path}
ab = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ab.bind("\0procscope-abstract")
ac = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
ac.sendto(b"x", "\0procscope-abstract")
out["abstract"] = {"srv": ab.fileno(), "cli": ac.fileno()}
try:
    socket.socket(socket.AF_UNIX).connect(os.path.join(d, "nobody-home"))
except FileNotFoundError:
    pass
print(json.dumps(out))
"""


def test_udp_and_unix(tmp_path):
    (tmp_path / "t.py").write_text(UDP_UNIX)
    t = run_trace(tmp_path, [PYTHON, str(tmp_path / "t.py"), str(tmp_path)])
    assert t.returncode == 0, t.stderr
    out = json.loads(t.stdout)

    s = by_fd(net_events(t, "net.send", "sendto"), out["sendto"]["fd"])
    assert s["ret"] == out["sendto"]["ret"] == 5
    assert s["net"] == {"fd": out["sendto"]["fd"], "family": "AF_INET", "address": "127.0.0.1",
                        "port": out["sendto"]["port"], "type": "SOCK_DGRAM",
                        "protocol": "IPPROTO_UDP", "local_address": "0.0.0.0",
                        "local_port": out["sendto"]["local_port"], "length": 5}
    s = by_fd(net_events(t, "net.send", "sendmsg"), out["sendmsg"]["fd"])
    assert s["ret"] == out["sendmsg"]["ret"] == 3
    assert s["net"]["address"] == "127.0.0.1" and s["net"]["port"] == out["sendto"]["port"]

    path = out["unix"]["path"]
    b = by_fd(net_events(t, "net.bind"), out["unix"]["srv"])
    assert b["ret"] == 0
    assert b["net"] == {"fd": out["unix"]["srv"], "family": "AF_UNIX", "address": path,
                        "type": "SOCK_STREAM", "local_address": path}
    c = by_fd([e for e in net_events(t, "net.connect") if e["ret"] == 0], out["unix"]["cli"])
    assert c["net"] == {"fd": out["unix"]["cli"], "family": "AF_UNIX", "address": path,
                        "type": "SOCK_STREAM"}
    missing = [e for e in net_events(t, "net.connect")
               if e["net"].get("address") == str(tmp_path / "nobody-home")]
    assert len(missing) == 1 and missing[0]["error"] == "ENOENT"

    b = by_fd(net_events(t, "net.bind"), out["abstract"]["srv"])
    assert b["net"]["address"] == "@procscope-abstract" and b["net"]["type"] == "SOCK_DGRAM"
    s = by_fd(net_events(t, "net.send", "sendto"), out["abstract"]["cli"])
    assert s["ret"] == 1
    assert s["net"] == {"fd": out["abstract"]["cli"], "family": "AF_UNIX",
                        "address": "@procscope-abstract", "type": "SOCK_DGRAM", "length": 1}


RAW = r"""
import socket
icmp = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP)
pkt = socket.socket(socket.AF_PACKET, socket.SOCK_DGRAM, socket.htons(0x0003))
print(icmp.fileno(), pkt.fileno())
"""


def test_raw_sockets_flagged(tmp_path):
    t = run_trace(tmp_path, [PYTHON, "-c", RAW])
    assert t.returncode == 0, t.stderr
    icmp, pkt = map(int, t.stdout.split())
    socks = {e["ret"]: e["net"] for e in net_events(t, "net.socket") if e["ret"] in (icmp, pkt)}
    assert socks[icmp] == {"family": "AF_INET", "type": "SOCK_RAW", "flags": ["SOCK_CLOEXEC"],
                           "protocol": "IPPROTO_ICMP", "raw": True}
    assert socks[pkt] == {"family": "AF_PACKET", "type": "SOCK_DGRAM", "flags": ["SOCK_CLOEXEC"],
                          "protocol": 3, "raw": True}
