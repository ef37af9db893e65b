"""Run a real WordPress on the loopback for the publishing tests: Debian's WordPress, PHP and MariaDB.

`start(folder)` makes a private MariaDB (its own data folder, a Unix socket,
no network), a private copy of WordPress with its own `wp-config.php`, and
serves it with PHP's built-in server on 127.0.0.1. The site is installed with
WordPress's own code (`wp_install`, `WP_Application_Passwords`), as an
administrator would through the browser; nothing outside `folder` is written.
`.ci/run` installs the packages (`wordpress`, `wordpress-theme-twentytwentyone`,
`php-cli`, `php-mysql`, `mariadb-server`); where they are missing the tests skip.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

WORDPRESS = Path("/usr/share/wordpress")
THEME = "twentytwentyone"
PACKAGES = ("wordpress", "php", "mariadbd", "mariadb-install-db", "mariadb")


def missing() -> str | None:
    """Return what this machine lacks to run a WordPress, or None."""
    if not (WORDPRESS / "wp-settings.php").exists():
        return "WordPress (Debian package wordpress) is not installed"
    if not (WORDPRESS / "wp-content" / "themes" / THEME).exists():
        return f"the {THEME} theme (Debian package wordpress-theme-{THEME}) is not installed"
    for program in ("php", "mariadbd", "mariadb-install-db", "mariadb"):
        if shutil.which(program) is None and not Path("/usr/sbin", program).exists():
            return f"{program} is not installed (Debian packages php-cli, php-mysql, mariadb-server)"
    return None


@dataclass
class User:
    """A WordPress user and the Application Password made for it."""

    name: str
    password: str
    role: str


@dataclass
class Site:
    """A running WordPress: its address, its users and the processes to stop."""

    url: str
    folder: Path
    users: dict[str, User] = field(default_factory=dict)
    processes: list[subprocess.Popen] = field(default_factory=list)

    def php(self, code: str) -> str:
        """Run PHP with WordPress loaded (as an administrator would in wp-cli) and return what it printed."""
        return _php_in_wordpress(self.folder, self.url, code)

    def rest(self, route: str, user: str | None = None) -> object:
        """GET a REST route (`/wp/v2/posts/1?context=edit`) and return the decoded JSON."""
        request = urllib.request.Request(f"{self.url}/?rest_route={route.replace('?', '&', 1)}")
        if user is not None:
            request.add_header("Authorization", _basic(self.users[user]))
        with urllib.request.urlopen(request, timeout=30) as answer:
            return json.loads(answer.read())

    def stop(self) -> None:
        """Stop PHP's server and MariaDB, and wait for them."""
        for process in reversed(self.processes):
            _signal_group(process, signal.SIGTERM)  # PHP's server with workers: the workers are its children
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                process.wait()


def _signal_group(process: subprocess.Popen, number: int) -> None:
    """Send a signal to a process started in a session of its own, and to every process it started."""
    try:
        os.killpg(process.pid, number)
    except ProcessLookupError:
        pass


def start(folder: Path) -> Site:
    """Install and start a WordPress in `folder`; the caller stops it with `Site.stop()`."""
    folder.mkdir(parents=True, exist_ok=True)
    site = Site(url="", folder=folder)
    try:
        socket_path = _start_database(folder, site)
        port = _free_port()
        site.url = f"http://127.0.0.1:{port}"
        _copy_wordpress(folder / "wp", socket_path)
        _install(site)
        _serve(site, port)
    except BaseException:
        site.stop()
        raise
    return site


def _basic(user: User) -> str:
    import base64

    return "Basic " + base64.b64encode(f"{user.name}:{user.password}".encode()).decode()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start_database(folder: Path, site: Site) -> Path:
    """Start a MariaDB of the tests' own on a Unix socket in `folder`; return the socket's path."""
    data = folder / "db"
    socket_path = folder / "mysqld.sock"
    subprocess.run(
        ["mariadb-install-db", "--no-defaults", f"--datadir={data}", "--auth-root-authentication-method=normal", "--skip-test-db", "--user=root"],
        check=True,
        capture_output=True,
    )
    server = subprocess.Popen(
        [
            _sbin("mariadbd"),
            "--no-defaults",
            f"--datadir={data}",
            f"--socket={socket_path}",
            "--skip-networking",
            f"--pid-file={folder / 'mysqld.pid'}",
            f"--log-error={folder / 'mysqld.err'}",
            "--user=root",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    site.processes.append(server)
    _wait_for(lambda: socket_path.exists(), "MariaDB", folder / "mysqld.err")
    subprocess.run(
        ["mariadb", "--no-defaults", "-S", str(socket_path), "-u", "root", "-e", "CREATE DATABASE wordpress"], check=True, capture_output=True
    )
    return socket_path


def _sbin(program: str) -> str:
    return shutil.which(program) or str(Path("/usr/sbin", program))


def _copy_wordpress(root: Path, socket_path: Path) -> None:
    """Copy WordPress (hard links where the file system allows) with a `wp-config.php` of its own."""
    try:
        subprocess.run(["cp", "-al", str(WORDPRESS), str(root)], check=True, capture_output=True)
    except subprocess.CalledProcessError:
        shutil.copytree(WORDPRESS, root, symlinks=False)
    (root / "wp-config.php").unlink()
    uploads = root / "wp-content" / "uploads"
    uploads.mkdir(parents=True, exist_ok=True)
    salts = "\n".join(
        f"define('{key}', '{os.urandom(16).hex()}');"
        for key in ("AUTH_KEY", "SECURE_AUTH_KEY", "LOGGED_IN_KEY", "NONCE_KEY", "AUTH_SALT", "SECURE_AUTH_SALT", "LOGGED_IN_SALT", "NONCE_SALT")
    )
    (root / "wp-config.php").write_text(f"""<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', 'localhost:{socket_path}');
define('DB_CHARSET', 'utf8mb4');
define('WP_ENVIRONMENT_TYPE', 'local');
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_CONTENT_DIR', __DIR__ . '/wp-content');
{salts}
$table_prefix = 'wp_';
if (!defined('ABSPATH')) define('ABSPATH', __DIR__ . '/');
require_once ABSPATH . 'wp-settings.php';
""")
    (root / "router.php").write_text("""<?php
// PHP's built-in server: real files as they are, everything else through WordPress (pretty permalinks)
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
if ($path !== '/' && is_file(__DIR__ . $path)) { return false; }
$_SERVER['SCRIPT_NAME'] = '/index.php';
require __DIR__ . '/index.php';
""")


INSTALL = r"""
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
$result = wp_install('Mekong Test Network', 'officer', 'officer@example.org', true, '', wp_generate_password(24));
update_option('siteurl', $url);
update_option('home', $url);
update_option('permalink_structure', '/%year%/%postname%/');
switch_theme('twentytwentyone');
$users = array('officer' => 'administrator');
$contributor = wp_insert_user(array('user_login' => 'contributor', 'user_pass' => wp_generate_password(24),
                                    'user_email' => 'contributor@example.org', 'role' => 'contributor'));
$users['contributor'] = 'contributor';
$out = array();
foreach ($users as $login => $role) {
    $user = get_user_by('login', $login);
    list($password, $item) = WP_Application_Passwords::create_new_application_password($user->ID, array('name' => 'mmnpress tests'));
    $out[$login] = array('password' => $password, 'role' => $role);
}
echo json_encode($out);
"""


def _install(site: Site) -> None:
    """Install the site, its theme, a contributor and an Application Password for each user."""
    printed = _php_in_wordpress(site.folder, site.url, f"$url = {json.dumps(site.url)};\n" + INSTALL, installing=True)
    users = json.loads(printed[printed.index("{") :])
    site.users = {name: User(name, value["password"], value["role"]) for name, value in users.items()}


def _php_in_wordpress(folder: Path, url: str, code: str, installing: bool = False) -> str:
    """Run `code` in command-line PHP with WordPress loaded, as if for a request to `url`."""
    host = url.removeprefix("http://")
    prelude = f"$_SERVER['HTTP_HOST'] = '{host}'; $_SERVER['REQUEST_URI'] = '/';"
    if installing:
        prelude += " define('WP_INSTALLING', true);"
    script = folder / "wp" / f"mmnpress-script-{os.getpid()}-{time.monotonic_ns()}.php"
    script.write_text(f"<?php\n{prelude}\nrequire __DIR__ . '/wp-load.php';\n{code}\n")
    try:
        done = subprocess.run(["php", str(script)], capture_output=True, text=True, timeout=120)
    finally:
        script.unlink()
    if done.returncode != 0:
        raise RuntimeError(f"PHP failed ({done.returncode}): {done.stdout[-2000:]}\n{done.stderr[-2000:]}")
    return done.stdout


def _serve(site: Site, port: int) -> None:
    """Serve WordPress with PHP's built-in server (four workers) on 127.0.0.1:`port`."""
    root = site.folder / "wp"
    environment = dict(os.environ, PHP_CLI_SERVER_WORKERS="4")
    server = subprocess.Popen(
        ["php", "-S", f"127.0.0.1:{port}", "-t", str(root), str(root / "router.php")],
        cwd=root,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=open(site.folder / "php.log", "wb"),
        start_new_session=True,
    )
    site.processes.append(server)
    _wait_for(lambda: _answers(site.url), "PHP's server", site.folder / "php.log")


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/?rest_route=/", timeout=5) as answer:
            return answer.status == 200
    except (urllib.error.URLError, OSError):
        return False


def _wait_for(ready, what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.1)
    detail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
    raise RuntimeError(f"{what} did not start within {seconds:.0f} s\n{detail}")
