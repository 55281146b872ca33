"""Winnow recipe: LoRA SFT with MLX-LM on Apple Silicon.

Started by Winnow as `python mlx_lora.py --config trainer-config.json`. Prepares the data folder mlx_lm.lora
reads (train.jsonl, valid.jsonl), runs `python -m mlx_lm.lora` with a generated YAML config, and turns its
"Iter N: Train loss …" report lines into Winnow's JSON-lines progress protocol. The adapter
(adapters.safetensors, adapter_config.json) goes to the config's output_dir. Exits 2 on a bad config, 3 when a
package is missing (with the pip line), 4 on bad data, else with mlx_lm's own exit code.
"""

import json
import os
import platform
import re
import subprocess
import sys

# No __pycache__ beside the shipped scripts: the app folder may be read-only, and a checkout stays clean.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import winnow_trainer as w  # noqa: E402  (the path above makes the shared module importable)

TRAIN_LINE = re.compile(r"Iter (\d+): Train loss ([-+\d.eE]+|nan|inf), Learning Rate ([-+\d.eE]+)")
VAL_LINE = re.compile(r"Iter (\d+): Val loss ([-+\d.eE]+|nan|inf)")
# mlx_lm validates on valid.jsonl; without a held-out split, this many training rows stand in (not held out).
FALLBACK_VALID_ROWS = 8


def write_jsonl(path, rows):
    with open(path, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def yaml_scalar(value):
    # JSON scalars are valid YAML scalars; strings quoted this way survive any path.
    return json.dumps(value)


def write_mlx_config(path, config, data_dir, iters):
    h = config["hyperparameters"]
    scale = float(h["lora_alpha"]) / float(h["lora_rank"])
    lines = {
        "model": config["base_model"], "train": True, "data": data_dir, "adapter_path": config["output_dir"],
        "iters": iters, "batch_size": int(h["batch_size"]), "grad_accumulation_steps": int(h["gradient_accumulation"]),
        "learning_rate": float(h["learning_rate"]), "max_seq_length": int(h["max_seq_length"]),
        "seed": int(h["seed"]), "steps_per_report": 1, "steps_per_eval": max(1, iters // 4), "save_every": iters,
    }
    with open(path, "w", encoding="utf-8") as handle:
        for key, value in lines.items():
            handle.write(f"{key}: {yaml_scalar(value)}\n")
        handle.write("lora_parameters:\n")
        handle.write(f"  rank: {int(h['lora_rank'])}\n  scale: {scale}\n  dropout: {float(h['lora_dropout'])}\n")


def main():
    config = w.read_config()
    if config["method"] != "sft":
        w.fail(f"this recipe does sft, not {config['method']}", w.EXIT_BAD_CONFIG)
    if sys.platform != "darwin" or platform.machine() != "arm64":
        w.fail("MLX runs only on macOS with Apple Silicon (arm64); use the TRL recipe on NVIDIA GPUs", w.EXIT_MISSING_DEPENDENCY)
    w.require([("mlx_lm", "mlx-lm>=0.22")])

    fmt = config["dataset"]["format"]
    rows = w.sft_rows(config["dataset"]["path"], fmt)
    valid_path = config["dataset"].get("validation_path")
    valid = w.sft_rows(valid_path, fmt) if valid_path else rows[:FALLBACK_VALID_ROWS]
    if not valid_path:
        w.log(f"winnow-trainer: no validation split; validating on {len(valid)} training rows (not held out)")

    os.makedirs(config["output_dir"], exist_ok=True)
    data_dir = os.path.join(config["output_dir"], "mlx-data")
    os.makedirs(data_dir, exist_ok=True)
    write_jsonl(os.path.join(data_dir, "train.jsonl"), rows)
    write_jsonl(os.path.join(data_dir, "valid.jsonl"), valid)
    iters = w.total_steps(config, len(rows))
    yaml_path = os.path.join(config["output_dir"], "mlx-lora.yaml")
    write_mlx_config(yaml_path, config, data_dir, iters)

    progress = w.Progress(iters)
    progress.emit(0)
    child = subprocess.Popen(
        [sys.executable, "-m", "mlx_lm.lora", "--config", yaml_path],
        stdout=subprocess.PIPE, stderr=None, text=True, encoding="utf-8", errors="replace",
    )
    for line in child.stdout:
        # mlx_lm's own log goes to stderr for Winnow's live log; only protocol lines go to stdout.
        w.log(line.rstrip("\n"))
        train = TRAIN_LINE.search(line)
        if train:
            progress.emit(int(train.group(1)), train.group(2), train.group(3))
            continue
        val = VAL_LINE.search(line)
        if val:
            progress.emit(int(val.group(1)), val.group(2), phase="eval")
    code = child.wait()
    if code != 0:
        w.fail(f"mlx_lm.lora exited with code {code}; its log is above", code)
    w.log(f"winnow-trainer: adapter written to {config['output_dir']}")


if __name__ == "__main__":
    main()
