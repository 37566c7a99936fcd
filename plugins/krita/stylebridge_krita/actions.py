"""The plugin's menu actions: all at the bottom of Krita's Filter menu."""
# pyright: reportMissingImports=false, reportAttributeAccessIssue=false

DIALOG_ID = "stylebridge_style_transfer"
APPLY_AGAIN_ID = "stylebridge_apply_again"
ANIMATION_ID = "stylebridge_stylize_animation"
ACTION_TEXTS = {
    DIALOG_ID: "Neural Style Transfer…",
    APPLY_AGAIN_ID: "Apply Neural Style Again",
    ANIMATION_ID: "Stylize Animation Frames",
}
MENU_LOCATION = "filter"


def add_actions(window, handlers: dict) -> None:
    """Create each action of `handlers` ({action id: slot}) in `window`'s Filter menu."""
    for action_id, handler in handlers.items():
        action = window.createAction(action_id, ACTION_TEXTS[action_id], MENU_LOCATION)
        action.triggered.connect(handler)
