"""Configuration: `[tool.hexcheck]` into `Config`, and the messages a broken one gives."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from hexcheck.adapters.pyproject import find_config, load_config
from hexcheck.core.config import DEFAULT_APPLICATION_FORBIDDEN, DEFAULT_EXCLUDE, Config, PackagePolicy
from hexcheck.core.errors import ConfigError
from hexcheck.core.layers import Layer, LayerMap

LAYER_NAMES = "domain, application, infrastructure, web, composition"


def write(path: Path, text: str) -> str:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return str(path)


def pyproject(tmp_path: Path, body: str) -> str:
    return write(tmp_path / "pyproject.toml", "[tool.hexcheck]\n" + textwrap.dedent(body))


def problems(path: str, overrides: dict[str, object] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load_config(path, overrides)
    return list(caught.value.problems)


def test_no_file_gives_the_defaults() -> None:
    assert load_config(None) == Config()
    assert load_config(None).root == "."


def test_every_key_round_trips(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        """
        source-roots = ["src", "lib"]
        exclude = ["build"]
        extend-exclude = ["legacy", "*_pb2.py"]
        preset = "strict"
        select = ["HEX1", "HEX601"]
        ignore = ["HEX", "HEX10"]
        type-checking-imports = "allow"
        allowed-edges = ["web -> infrastructure", "application->composition"]
        cache-dir = ".cache/hexcheck"
        parse-timeout = 2.5
        max-file-bytes = 1000
        max-port-methods = 5
        max-handler-statements = 20
        default-layers = false

        [tool.hexcheck.layers]
        domain = ["shop.core", "shop.*.model"]
        web = ["shop.http.**"]

        [tool.hexcheck.per-file-ignores]
        "shop/legacy/*.py" = ["HEX101"]
        "shop/main.py" = ["HEX6", "HEX901"]
        """,
    )
    config = load_config(path)
    assert config == Config(
        root=str(tmp_path),
        source_roots=("src", "lib"),
        exclude=("build",),
        extend_exclude=("legacy", "*_pb2.py"),
        preset="strict",
        select=("HEX1", "HEX601"),
        ignore=("HEX", "HEX10"),
        type_checking_imports="allow",
        allowed_edges=frozenset({(Layer.WEB, Layer.INFRASTRUCTURE), (Layer.APPLICATION, Layer.COMPOSITION)}),
        cache_dir=".cache/hexcheck",
        parse_timeout=2.5,
        max_file_bytes=1000,
        max_port_methods=5,
        max_handler_statements=20,
        layers=LayerMap.from_mapping(
            {Layer.DOMAIN: ["shop.core", "shop.*.model"], Layer.WEB: ["shop.http.**"]},
            use_defaults=False,
        ),
        per_file_ignores=(("shop/legacy/*.py", ("HEX101",)), ("shop/main.py", ("HEX6", "HEX901"))),
    )
    assert config.may_depend(Layer.WEB, Layer.INFRASTRUCTURE)
    assert config.layers.layer_of("shop.core.book") is Layer.DOMAIN
    assert config.layers.layer_of("shop.domain") is None  # default detection is off


def test_parse_timeout_accepts_an_integer(tmp_path: Path) -> None:
    assert load_config(pyproject(tmp_path, "parse-timeout = 3")).parse_timeout == 3.0


def test_unset_keys_keep_their_defaults(tmp_path: Path) -> None:
    config = load_config(pyproject(tmp_path, 'preset = "strict"'))
    assert config.exclude == DEFAULT_EXCLUDE
    assert config.layers == LayerMap()
    assert config.max_port_methods == 8


def test_package_policies(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        """
        [tool.hexcheck.packages.domain]
        extend-allow = ["attrs"]

        [tool.hexcheck.packages.application]
        extend-allow = ["pydantic"]
        extend-forbid = ["structlog"]

        [tool.hexcheck.packages.web]
        forbid = ["motor"]

        [tool.hexcheck.packages.infrastructure]
        allow = ["motor", "pymongo"]
        """,
    )
    packages = load_config(path).packages
    assert packages[Layer.DOMAIN] == PackagePolicy(allow_only=("typing_extensions", "attrs"))
    application = packages[Layer.APPLICATION]
    assert application.allow_only is None
    assert "pydantic" not in application.forbid
    assert application.forbid == (
        *(name for name in DEFAULT_APPLICATION_FORBIDDEN if name != "pydantic"),
        "structlog",
    )
    assert packages[Layer.WEB] == PackagePolicy(forbid=("motor",))
    infrastructure = packages[Layer.INFRASTRUCTURE]
    assert infrastructure == PackagePolicy(allow_only=("motor", "pymongo"))
    assert infrastructure.forbids("redis", is_stdlib=False)
    assert not infrastructure.forbids("json", is_stdlib=True)


def test_package_forbid_replaces_the_default_list(tmp_path: Path) -> None:
    path = pyproject(tmp_path, "[tool.hexcheck.packages.application]\nforbid = ['django']\n")
    assert load_config(path).packages[Layer.APPLICATION] == PackagePolicy(forbid=("django",))


def test_overrides_apply_after_the_file(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        """
        select = ["HEX1"]
        preset = "strict"
        [tool.hexcheck.layers]
        domain = ["shop.core"]
        web = ["shop.http"]
        """,
    )
    config = load_config(path, {"select": ["HEX6"], "preset": None, "layers": {"web": ["shop.api"]}})
    assert config.select == ("HEX6",)
    assert config.preset == "strict"  # None means the flag was not given
    assert config.layers == LayerMap.from_mapping({Layer.DOMAIN: ["shop.core"], Layer.WEB: ["shop.api"]})


def test_overrides_without_a_file(tmp_path: Path) -> None:
    assert load_config(None, {"ignore": ("HEX901",)}).ignore == ("HEX901",)


def test_bad_overrides_are_named_as_flags() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(None, {"preset": "lax", "colour": "red"})
    assert caught.value.source == "command line"
    assert caught.value.problems == (
        '--preset: expected one of "recommended", "strict", got "lax"',
        "--colour: unknown key",
    )


def test_unknown_keys_at_every_level(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        """
        colour = "red"
        max_port_methods = 3
        [tool.hexcheck.layers]
        domian = ["shop.core"]
        [tool.hexcheck.packages.aplication]
        forbid = []
        [tool.hexcheck.packages.domain]
        alow = ["attrs"]
        """,
    )
    assert problems(path) == [
        "tool.hexcheck.colour: unknown key",
        'tool.hexcheck.max_port_methods: unknown key; did you mean "max-port-methods"?',
        f"tool.hexcheck.layers.domian: unknown layer; expected one of {LAYER_NAMES}",
        f"tool.hexcheck.packages.aplication: unknown layer; expected one of {LAYER_NAMES}",
        "tool.hexcheck.packages.domain.alow: unknown key; "
        "expected one of allow, forbid, extend-allow, extend-forbid",
    ]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('max-port-methods = "eight"', 'max-port-methods: expected a positive integer, got "eight"'),
        ("max-port-methods = true", "max-port-methods: expected a positive integer, got true"),
        ("max-file-bytes = 0", "max-file-bytes: expected a positive integer, got 0"),
        ("max-handler-statements = 1.5", "max-handler-statements: expected a positive integer, got 1.5"),
        ("parse-timeout = -1", "parse-timeout: expected a positive number, got -1"),
        ("parse-timeout = nan", "parse-timeout: expected a positive number, got nan"),
        ("parse-timeout = false", "parse-timeout: expected a positive number, got false"),
        ('exclude = "tests"', 'exclude: expected an array of strings, got "tests"'),
        ('extend-exclude = ["ok", 3]', "extend-exclude[1]: expected a glob pattern, got 3"),
        ("source-roots = [[]]", "source-roots[0]: expected a path, got an array"),
        ('preset = "lax"', 'preset: expected one of "recommended", "strict", got "lax"'),
        (
            'type-checking-imports = "ignore"',
            'type-checking-imports: expected one of "report", "allow", got "ignore"',
        ),
        ('cache-dir = ""', 'cache-dir: expected a non-empty string, got ""'),
        ('default-layers = "no"', 'default-layers: expected true or false, got "no"'),
        ("layers = 3", "layers: expected a table, got 3"),
        ("per-file-ignores = []", "per-file-ignores: expected a table of glob = [codes], got an array"),
        ("packages = { domain = [] }", "packages.domain: expected a table, got an array"),
        ("select = [1979-05-27]", "select[0]: expected a rule code or prefix like HEX, HEX1 or HEX101, "
         "got the date/time 1979-05-27"),
    ],
)  # fmt: skip
def test_wrong_types(tmp_path: Path, line: str, message: str) -> None:
    assert problems(pyproject(tmp_path, line)) == [f"tool.hexcheck.{message}"]


@pytest.mark.parametrize("code", ["E501", "hex101", "HEX1001", "HEX10a", "ALL", ""])
def test_bad_codes(tmp_path: Path, code: str) -> None:
    path = pyproject(tmp_path, f'ignore = ["HEX1", "{code}"]')
    assert problems(path) == [
        f'tool.hexcheck.ignore[1]: expected a rule code or prefix like HEX, HEX1 or HEX101, got "{code}"'
    ]


def test_bad_codes_in_per_file_ignores_name_the_quoted_glob(tmp_path: Path) -> None:
    path = pyproject(tmp_path, '[tool.hexcheck.per-file-ignores]\n"app/*.py" = ["HEX101", "F401"]\n')
    assert problems(path) == [
        'tool.hexcheck.per-file-ignores."app/*.py"[1]: '
        'expected a rule code or prefix like HEX, HEX1 or HEX101, got "F401"'
    ]


def test_bad_edges(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        'allowed-edges = ["web infrastructure", "web -> infra", "dom -> ", "a -> b -> c", "web -> domain"]',
    )
    assert problems(path) == [
        'tool.hexcheck.allowed-edges[0]: expected "<layer> -> <layer>", like "web -> infrastructure", '
        'got "web infrastructure"',
        f'tool.hexcheck.allowed-edges[1]: unknown layer "infra"; expected one of {LAYER_NAMES}',
        'tool.hexcheck.allowed-edges[2]: expected "<layer> -> <layer>", like "web -> infrastructure", '
        'got "dom -> "',
        'tool.hexcheck.allowed-edges[3]: expected "<layer> -> <layer>", like "web -> infrastructure", '
        'got "a -> b -> c"',
    ]


def test_bad_layer_patterns_and_package_names(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        """
        [tool.hexcheck.layers]
        domain = ["shop/domain", "shop..core", "shop.*.model"]
        [tool.hexcheck.packages.application]
        extend-forbid = ["python-jose"]
        """,
    )
    pattern = "expected a module pattern like app.domain or app.*.ports"
    assert problems(path) == [
        f'tool.hexcheck.layers.domain[0]: {pattern}, got "shop/domain"',
        f'tool.hexcheck.layers.domain[1]: {pattern}, got "shop..core"',
        "tool.hexcheck.packages.application.extend-forbid[0]: "
        'expected a top-level package name like pydantic, got "python-jose"',
    ]


def test_a_package_both_allowed_and_forbidden(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path, "[tool.hexcheck.packages.application]\nextend-allow = ['httpx']\nforbid = ['httpx']\n"
    )
    assert problems(path) == [
        'tool.hexcheck.packages.application: "httpx" cannot be both allowed and forbidden'
    ]


def test_several_problems_are_reported_together(tmp_path: Path) -> None:
    path = pyproject(
        tmp_path,
        """
        max-port-methods = "eight"
        select = ["E501"]
        colour = "red"
        [tool.hexcheck.layers]
        domian = []
        """,
    )
    with pytest.raises(ConfigError) as caught:
        load_config(path, {"preset": "lax"})
    error = caught.value
    assert error.source == path
    assert len(error.problems) == 5
    assert str(error).startswith(f"{path}: tool.hexcheck.max-port-methods: expected a positive integer")
    assert error.problems[-1] == '--preset: expected one of "recommended", "strict", got "lax"'


def test_toml_syntax_error(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", '[tool.hexcheck]\nselect = ["HEX1"\npreset = "strict"\n')
    (problem,) = problems(path)
    assert problem.startswith("invalid TOML: ")
    assert "line 3" in problem


def test_unreadable_and_undecodable_files(tmp_path: Path) -> None:
    assert problems(str(tmp_path / "missing.toml")) == ["cannot read the file: No such file or directory"]
    latin1 = tmp_path / "hexcheck.toml"
    latin1.write_bytes(b'# config\npreset = "caf\xe9"\n')
    assert problems(str(latin1)) == ["not valid UTF-8 at line 2; TOML files must be UTF-8"]


def test_tool_hexcheck_must_be_a_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[tool]\nhexcheck = 3\n")
    assert problems(path) == ["tool.hexcheck: expected a table, got 3"]


def test_pyproject_without_the_table_gives_defaults_rooted_there(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(path) == Config(root=str(tmp_path))


def test_standalone_hexcheck_toml_uses_the_top_level_table(tmp_path: Path) -> None:
    path = write(tmp_path / "conf" / "hexcheck.toml", 'preset = "strict"\n[layers]\nweb = ["shop.http"]\n')
    config = load_config(path)
    assert config.root == str(tmp_path / "conf")
    assert config.preset == "strict"
    assert config.layers.layer_of("shop.http.books") is Layer.WEB
    bad = write(tmp_path / "hexcheck.toml", "max-port-methods = 0\n[layers]\ndomian = []\n")
    assert problems(bad) == [
        "max-port-methods: expected a positive integer, got 0",
        f"layers.domian: unknown layer; expected one of {LAYER_NAMES}",
    ]


def test_standalone_file_with_a_tool_hexcheck_table_uses_that(tmp_path: Path) -> None:
    path = write(tmp_path / "ci.toml", '[tool.hexcheck]\npreset = "strict"\n')
    assert load_config(path).preset == "strict"


def test_find_config_walks_up_to_the_nearest_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.hexcheck]\npreset = "strict"\n')
    write(tmp_path / "service" / "pyproject.toml", "[tool.ruff]\nline-length = 100\n")
    deep = tmp_path / "service" / "src" / "app"
    write(deep / "book.py", "")
    assert find_config(str(deep)) == str(tmp_path / "pyproject.toml")
    assert find_config(str(deep / "book.py")) == str(tmp_path / "pyproject.toml")
    write(tmp_path / "service" / "pyproject.toml", "[tool.hexcheck.layers]\ndomain = ['x']\n")
    assert find_config(str(deep)) == str(tmp_path / "service" / "pyproject.toml")


def test_find_config_prefers_a_standalone_file_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.hexcheck]\n")
    write(tmp_path / "hexcheck.toml", "")
    assert find_config(str(tmp_path)) == str(tmp_path / "hexcheck.toml")


def test_find_config_returns_a_broken_pyproject_that_mentions_hexcheck(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.hexcheck]\nselect = [\n")
    found = find_config(str(tmp_path))
    assert found == str(tmp_path / "pyproject.toml")
    assert problems(found)[0].startswith("invalid TOML: ")


def test_find_config_none_when_nothing_configures_hexcheck(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    start = tmp_path / "a" / "b"
    start.mkdir(parents=True)
    found = find_config(str(start))
    # A configuration above tmp_path (outside the test's control) would also be found.
    assert found is None or not found.startswith(str(tmp_path))


def test_composition_roots_point_at_the_composition_layer(tmp_path: Path) -> None:
    path = pyproject(tmp_path, 'composition-roots = ["app.main"]\n')
    assert problems(path) == [
        "tool.hexcheck.composition-roots: unknown key; composition roots are the modules of the "
        'composition layer: list them in [tool.hexcheck.layers], like composition = ["app.main", '
        '"app.bootstrap"]'
    ]
    path = pyproject(tmp_path, '[tool.hexcheck.layers]\ncomposition = ["app.main", "app.api.deps"]\n')
    layers = load_config(path).layers
    assert layers.layer_of("app.main") is Layer.COMPOSITION
    assert layers.layer_of("app.api.deps") is Layer.COMPOSITION
    assert layers.layer_of("app.api.routes") is Layer.WEB
