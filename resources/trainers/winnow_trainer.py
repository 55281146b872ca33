"""Shared by Winnow's Python trainer recipes (standard library only).

Reads the JSON config Winnow writes (schema winnow.trainer-config/1, documented in
src-main/services/training/trainer-config.ts), checks dependencies with an install hint, reads the exported
JSON Lines dataset, and prints Winnow's progress protocol: one JSON object per stdout line,
{"step": n, "total": n, "loss": x, "lr": x, "eta_s": x}. Anything else goes to stderr, so stdout stays
machine-readable.
"""

import argparse
import importlib
import json
import math
import sys
import time

CONFIG_SCHEMA = "winnow.trainer-config/1"
HYPERPARAMETERS = (
    "epochs", "max_steps", "learning_rate", "batch_size", "gradient_accumulation", "lora_rank",
    "lora_alpha", "lora_dropout", "max_seq_length", "seed", "beta",
)

# Exit codes Winnow shows distinctly: a bad config is Winnow's bug, a missing package is the user's setup.
EXIT_BAD_CONFIG = 2
EXIT_MISSING_DEPENDENCY = 3
EXIT_BAD_DATA = 4


def fail(message, code):
    print(f"winnow-trainer: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def log(message):
    print(message, file=sys.stderr, flush=True)


def read_config(argv=None):
    parser = argparse.ArgumentParser(description="Winnow trainer recipe")
    parser.add_argument("--config", required=True, help="the trainer-config.json Winnow wrote")
    args = parser.parse_args(argv)
    try:
        with open(args.config, encoding="utf-8") as handle:
            config = json.load(handle)
    except (OSError, ValueError) as error:
        fail(f"cannot read the config {args.config}: {error}", EXIT_BAD_CONFIG)
    if not isinstance(config, dict) or config.get("schema") != CONFIG_SCHEMA:
        fail(f"{args.config} is not a {CONFIG_SCHEMA} file; start this trainer from Winnow", EXIT_BAD_CONFIG)
    for key in ("base_model", "dataset", "output_dir", "hyperparameters", "method"):
        if key not in config:
            fail(f"the config has no {key!r}", EXIT_BAD_CONFIG)
    missing = [k for k in HYPERPARAMETERS if k not in config["hyperparameters"]]
    if missing:
        fail(f"the config's hyperparameters lack {', '.join(missing)}", EXIT_BAD_CONFIG)
    return config


def require(modules):
    """Imports each (module, pip requirement) pair; exits with one install line naming all that are missing."""
    loaded, missing = {}, []
    for module, requirement in modules:
        try:
            loaded[module] = importlib.import_module(module)
        except ImportError as error:
            missing.append((module, requirement, error))
    if missing:
        names = ", ".join(module for module, _, _ in missing)
        pips = " ".join(f'"{requirement}"' for _, requirement, _ in missing)
        detail = "; ".join(f"{module}: {error}" for module, _, error in missing)
        fail(
            f"missing Python packages: {names} ({detail}).\n"
            f"install with: {sys.executable} -m pip install {pips}",
            EXIT_MISSING_DEPENDENCY,
        )
    return loaded


def read_rows(path):
    """The dataset's JSON Lines as dicts; a bad line stops the run with its line number."""
    rows = []
    try:
        with open(path, encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except ValueError as error:
                    fail(f"{path}:{number}: not JSON ({error})", EXIT_BAD_DATA)
                if not isinstance(row, dict):
                    fail(f"{path}:{number}: expected a JSON object", EXIT_BAD_DATA)
                rows.append(row)
    except OSError as error:
        fail(f"cannot read the dataset {path}: {error}", EXIT_BAD_DATA)
    if not rows:
        fail(f"the dataset {path} has no rows", EXIT_BAD_DATA)
    return rows


SHAREGPT_ROLES = {"system": "system", "human": "user", "user": "user", "gpt": "assistant", "assistant": "assistant"}


def as_messages(row, fmt):
    """One SFT row as a chat: {"messages": [...]} or {"prompt", "completion"}, the shapes TRL and MLX-LM read."""
    if fmt in ("sft-messages", "openai-chat"):
        return {"messages": row["messages"]}
    if fmt == "sft-prompt-completion":
        return {"prompt": row["prompt"], "completion": row["completion"]}
    if fmt == "alpaca":
        messages = [{"role": "system", "content": row["system"]}] if row.get("system") else []
        user = row["instruction"] + (f"\n{row['input']}" if row.get("input") else "")
        return {"messages": messages + [{"role": "user", "content": user}, {"role": "assistant", "content": row["output"]}]}
    if fmt == "sharegpt":
        return {"messages": [{"role": SHAREGPT_ROLES[t["from"]], "content": t["value"]} for t in row["conversations"]]}
    raise ValueError(f"{fmt} is not a supervised fine-tuning format")


def sft_rows(path, fmt):
    rows = read_rows(path)
    out = []
    for number, row in enumerate(rows, start=1):
        try:
            out.append(as_messages(row, fmt))
        except (KeyError, TypeError) as error:
            fail(f"{path}: row {number} is not a {fmt} row (missing {error})", EXIT_BAD_DATA)
        except ValueError as error:
            fail(str(error), EXIT_BAD_DATA)
    return out


def total_steps(config, rows):
    """Optimizer steps for the run: max_steps when set, else epochs over batches of batch × accumulation."""
    h = config["hyperparameters"]
    if h.get("max_steps"):
        return int(h["max_steps"])
    per_step = max(1, int(h["batch_size"]) * int(h["gradient_accumulation"]))
    return max(1, math.ceil(float(h["epochs"]) * rows / per_step))


def _number(value):
    """Finite floats only: NaN and infinities are not JSON, and Winnow treats a missing loss as unknown."""
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


class Progress:
    """Prints protocol lines with an ETA from the average time per step so far."""

    def __init__(self, total, clock=time.monotonic):
        self.total = total
        self.clock = clock
        self.started = clock()

    def line(self, step, loss=None, lr=None, phase="train"):
        elapsed = self.clock() - self.started
        eta = None
        if step > 0 and self.total:
            eta = max(0.0, elapsed / step * (self.total - step))
        record = {"step": int(step), "total": self.total, "loss": _number(loss), "lr": _number(lr), "eta_s": eta}
        if phase != "train":
            record["phase"] = phase
        return json.dumps(record)

    def emit(self, step, loss=None, lr=None, phase="train"):
        print(self.line(step, loss, lr, phase), flush=True)
