# SPDX-License-Identifier: Apache-2.0
"""Finding and loading plugins with the checks of the C++ host runtime (jobcoach/host/loader_checks.hpp), in its
order, the ones that run no plugin code first:

  permissions  the manifest is a regular file of this user's (or root's) that no one else may write
  manifest     it reads (file_format_version 1, id, name, library, abi_version, schemes); its id is not loaded yet
  version      the host ABI the manifest says the plugin needs is one this package has
  permissions  the library, its directory and its rule packs are trusted as the manifest is
  allowlist    the library's SHA-256 is on the host's allowlist, when the host gives one
  symbol       the library's dynamic symbol table (read from the file) exports jc_plugin_entry_v1
  load         dlopen with RTLD_NOW | RTLD_LOCAL resolves every symbol
  entry        jc_plugin_entry_v1 returns an entry of at least ABI 1.0's size with init, deinit and create
  version      the entry's minimum host ABI is this package's and the manifest's; its event schema one it sends
  descriptor   the entry's descriptor is there, of at least ABI 1.0's size, with the manifest's id
  init         init(plugin directory) returns JC_OK

A refused plugin raises LoadError with the check's name. A library is never unloaded (ctypes keeps it)."""
import ctypes as C
import grp
import hashlib
import json
import os
import pwd
import stat

from elftools.elf.elffile import ELFFile
from elftools.common.exceptions import ELFError

from . import _abi
from .errors import LoadError

MANIFEST_SUFFIX = ".plugin.json"


def default_plugin_dir():
    """Where the packages install the plugins, as jobcoach-demo finds them: beside this package's install
    (<prefix>/lib/python3/dist-packages/jobcoach -> <prefix>/lib/jobcoach/plugins, so an unpacked prefix works too),
    else the first directory of JOBCOACH_PLUGIN_PATH (colon-separated), else /usr/lib/jobcoach/plugins."""
    here = os.path.dirname(os.path.abspath(__file__))
    beside = os.path.normpath(os.path.join(here, "..", "..", "..", "jobcoach", "plugins"))
    if os.path.isdir(beside):
        return beside
    for directory in os.environ.get("JOBCOACH_PLUGIN_PATH", "").split(":"):
        if directory:
            return directory
    return "/usr/lib/jobcoach/plugins"


def find_manifests(directory):
    """*.plugin.json in `directory` or one level below, in path order (as the C++ host runtime)."""
    found = []
    for name in os.listdir(directory):
        path = os.path.join(directory, name)
        if name.endswith(MANIFEST_SUFFIX) and len(name) > len(MANIFEST_SUFFIX):
            found.append(path)
        elif os.path.isdir(path) and not os.path.islink(path):
            found += [os.path.join(path, n) for n in os.listdir(path)
                      if n.endswith(MANIFEST_SUFFIX) and len(n) > len(MANIFEST_SUFFIX)]
    return sorted(found)


def _private_group_of(uid, gid):
    """The owner's own group (named as the user, with no other member): a umask 002 user's files are safe."""
    try:
        user, group = pwd.getpwuid(uid), grp.getgrgid(gid)
    except KeyError:
        return False
    return user.pw_gid == gid and group.gr_name == user.pw_name and all(m == user.pw_name for m in group.gr_mem)


def untrusted(path, directory):
    """Why `path` may not be trusted (a reason), or None: a symbolic link, another user's, writable by others."""
    path = path.rstrip("/") or "/"
    try:
        st = os.lstat(path)
    except OSError as e:
        return f"{path}: cannot stat ({e.strerror})"
    if stat.S_ISLNK(st.st_mode):
        return f"{path}: is a symbolic link"
    if directory and not stat.S_ISDIR(st.st_mode):
        return f"{path}: not a directory"
    if not directory and not stat.S_ISREG(st.st_mode):
        return f"{path}: not a regular file"
    if st.st_uid not in (0, os.geteuid()):
        return f"{path}: owned by uid {st.st_uid}, neither root nor this user"
    if st.st_mode & stat.S_IWOTH:
        return f"{path}: writable by others (chmod o-w)"
    if st.st_mode & stat.S_IWGRP and not _private_group_of(st.st_uid, st.st_gid):
        return f"{path}: writable by group {st.st_gid}, which is not the owner's private group (chmod g-w)"
    return None


def untrusted_rule_packs(directory):
    if not os.path.lexists(directory):
        return None
    why = untrusted(directory, True)
    if why:
        return why
    for name in sorted(os.listdir(directory)):
        why = untrusted(os.path.join(directory, name), False)
        if why:
            return why
    return None


def version_text(v):
    return f"{v[0]}.{v[1]}"


class Manifest:
    """What a plugin's manifest says, read without running any of its code."""

    def __init__(self, path, data):
        self.path, self.id, self.name = path, data["id"], data["name"]
        self.library = os.path.join(os.path.dirname(os.path.abspath(path)), data["library"])
        self.min_host_abi = (data["abi_version"]["major"], data["abi_version"]["minor"])
        self.schemes = tuple(data["schemes"])


def read_manifest(path):
    """The manifest at `path`; LoadError (check "manifest") says which member is wrong."""
    def fail(reason):
        raise LoadError(path, "manifest", reason)
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, ValueError) as e:
        fail(f"not valid JSON: {e}")
    if not isinstance(data, dict):
        fail("not a JSON object")
    if data.get("file_format_version") != 1:
        fail("file_format_version must be 1")
    for key in ("id", "name", "library"):
        if not isinstance(data.get(key), str) or not data[key]:
            fail(f'member "{key}" is missing or not a string')
    if "/" in data["library"] or data["library"] in (".", ".."):
        fail(f'library "{data["library"]}" must be a file name beside the manifest')
    abi = data.get("abi_version")
    if not (isinstance(abi, dict) and all(isinstance(abi.get(k), int) and not isinstance(abi.get(k), bool)
                                          and 0 <= abi[k] <= 0xFFFF for k in ("major", "minor"))):
        fail('member "abi_version" must be {"major": N, "minor": N}')
    if not isinstance(data.get("schemes"), list):
        fail('member "schemes" is missing or not an array')
    if not all(isinstance(s, str) for s in data["schemes"]):
        fail('"schemes" must hold strings')
    return Manifest(path, data)


def _exports_entry(library):
    with open(library, "rb") as f:
        elf = ELFFile(f)
        dynsym = elf.get_section_by_name(".dynsym")
        if dynsym is None:
            return False
        return any(s.name == _abi.ENTRY_SYMBOL and s["st_shndx"] != "SHN_UNDEF" for s in dynsym.iter_symbols())


def check_and_load(path, loaded_ids=(), allowlist=None):
    """Runs every loader check on the manifest at `path` and returns (manifest, library, entry) of the plugin, its
    init done. LoadError names the check that refused it."""
    host = _abi.ABI_VERSION
    why = untrusted(path, False)
    if why:
        raise LoadError(path, "permissions", why)
    m = read_manifest(path)
    if m.id in loaded_ids:
        raise LoadError(path, "manifest", f"id {m.id} is already loaded")
    if not _abi.compatible(host, m.min_host_abi):
        raise LoadError(path, "version", f"the manifest needs host ABI {version_text(m.min_host_abi)}, this host has "
                                         f"{version_text(host)} (same major and a minor at least as new are needed)")
    directory = os.path.dirname(m.library)
    why = (untrusted(directory, True) or untrusted(m.library, False)
           or untrusted_rule_packs(os.path.join(directory, "rulepacks")))
    if why:
        raise LoadError(path, "permissions", why)
    if allowlist is not None:
        with open(m.library, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        if digest not in allowlist:
            raise LoadError(path, "allowlist", f"SHA-256 {digest} of {os.path.basename(m.library)} is not in the "
                                              "host's allowlist")
    try:
        if not _exports_entry(m.library):
            raise LoadError(path, "symbol", f"the library does not export {_abi.ENTRY_SYMBOL}")
    except (ELFError, OSError, ValueError) as e:
        raise LoadError(path, "symbol", f"not a shared library this host can read: {e}") from None
    try:
        library = C.CDLL(m.library, mode=os.RTLD_NOW | os.RTLD_LOCAL)
    except OSError as e:
        raise LoadError(path, "load", str(e)) from None
    entry_ptr = C.CFUNCTYPE(C.POINTER(_abi.Entry))((_abi.ENTRY_SYMBOL, library))()
    if not entry_ptr:
        raise LoadError(path, "entry", f"{_abi.ENTRY_SYMBOL} returned NULL")
    entry = entry_ptr.contents
    if entry.struct_size < C.sizeof(_abi.Entry):
        raise LoadError(path, "entry", f"jc_plugin_entry.struct_size {entry.struct_size} is smaller than ABI 1.0's "
                                       f"{C.sizeof(_abi.Entry)}")
    if not (entry.init and entry.deinit and entry.create):
        raise LoadError(path, "entry", "jc_plugin_entry: init, deinit or create is NULL")
    needs = (entry.min_host_abi.major, entry.min_host_abi.minor)
    if not _abi.compatible(host, needs):
        raise LoadError(path, "version", f"the plugin needs host ABI {version_text(needs)}, this host has "
                                         f"{version_text(host)} (same major and a minor at least as new are needed)")
    if entry.event_schema_version > _abi.EVENT_SCHEMA_VERSION:
        raise LoadError(path, "version", f"the plugin needs event schema {entry.event_schema_version}, this host "
                                         f"sends {_abi.EVENT_SCHEMA_VERSION}")
    if needs != m.min_host_abi:
        raise LoadError(path, "version", f"the manifest says the plugin needs ABI {version_text(m.min_host_abi)}, "
                                         f"the library says {version_text(needs)}")
    d = entry.descriptor
    if not d:
        raise LoadError(path, "descriptor", "jc_plugin_entry.descriptor is NULL")
    if d.contents.struct_size < C.sizeof(_abi.Descriptor):
        raise LoadError(path, "descriptor", f"jc_plugin_descriptor.struct_size {d.contents.struct_size} is smaller "
                                            "than ABI 1.0's")
    their_id = d.contents.id.decode("utf-8", "replace") if d.contents.id else "(NULL)"
    if their_id != m.id:
        raise LoadError(path, "descriptor", f"the library's id {their_id} differs from the manifest's {m.id}")
    error = C.create_string_buffer(512)
    status = entry.init(directory.encode(), error, len(error) - 1)
    if status != _abi.JC_OK:
        text = error.value.decode("utf-8", "replace")
        raise LoadError(path, "init", f"status {status}: {text}", status, text)
    return m, library, entry
