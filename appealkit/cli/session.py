"""What the group and a command share: the workspace asked for (--root) and --strict."""

from __future__ import annotations

from pathlib import Path

import click

from appealkit.cli.output import UserError

#: Outside a workspace every command but `init` stops with this line and exit code 2.
NOT_A_WORKSPACE = ("not an appealkit workspace (no facts/ or campaigns/ here or above; "
                   "run appealkit init DIR or pass --root DIR)")


class Session:
    """The workspace asked for and --strict, given before or after the command name."""

    def __init__(self) -> None:
        self.root_option: Path | None = None
        self.strict = False

    def root(self) -> Path:
        """The workspace: --root as given, else the nearest one at or above the current folder."""
        from appealkit.source.paths import find_workspace, is_workspace

        if self.root_option is not None:
            if not is_workspace(self.root_option):
                raise UserError(f"{self.root_option}: not an appealkit workspace (no facts/ or campaigns/ "
                                f"in it; run appealkit init DIR or pass the folder that holds them)", 2)
            return self.root_option
        found = find_workspace(Path.cwd())
        if found is None:
            raise UserError(NOT_A_WORKSPACE, 2)
        return Path(".") if found == Path.cwd().resolve() else found


def _set_root(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    if value is not None:
        ctx.ensure_object(Session).root_option = value


def _set_strict(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(Session).strict = True


_ROOT_HELP = "The workspace folder (default: the nearest one with facts/ or campaigns/, here or above)."
_STRICT_HELP = "Fail (exit code 1) when the command reported any warning, after printing everything."


def session_options(command):
    """--root and --strict, accepted before and after the command name alike."""
    command = click.option("--strict", is_flag=True, expose_value=False, callback=_set_strict,
                           help=_STRICT_HELP)(command)
    return click.option("--root", type=click.Path(file_okay=False, path_type=Path), expose_value=False,
                        callback=_set_root, help=_ROOT_HELP)(command)


def session() -> Session:
    return click.get_current_context().find_root().ensure_object(Session)


def load_campaign_of(campaign_file: str | None):
    """The workspace and one campaign of it, by file or id; None: the default or only campaign."""
    from appealkit.source.campaign import chosen_campaign_path, load_campaign_file
    from appealkit.source.workspace import load_workspace

    root = session().root()
    workspace = load_workspace(root)
    return workspace, load_campaign_file(workspace, chosen_campaign_path(root, campaign_file))
