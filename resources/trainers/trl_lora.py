"""Winnow recipe: LoRA SFT or DPO with TRL + PEFT on an NVIDIA GPU.

Started by Winnow as `python trl_lora.py --config trainer-config.json`. Writes the adapter
(adapter_model.safetensors, adapter_config.json) to the config's output_dir and reports progress on stdout
in Winnow's JSON-lines protocol. Exits 2 on a bad config, 3 when a package is missing (with the pip line),
4 on bad data.
"""

import os
import sys

# No __pycache__ beside the shipped scripts: the app folder may be read-only, and a checkout stays clean.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import winnow_trainer as w  # noqa: E402  (the path above makes the shared module importable)

REQUIREMENTS = [
    ("torch", "torch"),
    ("transformers", "transformers>=4.56"),
    ("datasets", "datasets>=3"),
    ("peft", "peft>=0.17"),
    ("trl", "trl>=0.23"),
]


def main():
    config = w.read_config()
    method, fmt = config["method"], config["dataset"]["format"]
    if method not in ("sft", "dpo"):
        w.fail(f"this recipe does sft or dpo, not {method}", w.EXIT_BAD_CONFIG)
    if (method == "dpo") != (fmt == "dpo"):
        w.fail(f"{method} cannot train on {fmt} rows; export DPO rows for DPO and SFT rows for SFT", w.EXIT_BAD_CONFIG)
    mods = w.require(REQUIREMENTS)
    torch, datasets, peft, trl, transformers = (mods[m] for m in ("torch", "datasets", "peft", "trl", "transformers"))
    if not torch.cuda.is_available():
        w.log("winnow-trainer: no CUDA GPU is visible to PyTorch; training on the CPU will be very slow")

    h = config["hyperparameters"]
    rows = w.read_rows(config["dataset"]["path"]) if method == "dpo" else w.sft_rows(config["dataset"]["path"], fmt)
    train = datasets.Dataset.from_list(rows)
    valid_path = config["dataset"].get("validation_path")
    valid = None
    if valid_path:
        valid_rows = w.read_rows(valid_path) if method == "dpo" else w.sft_rows(valid_path, fmt)
        valid = datasets.Dataset.from_list(valid_rows)
    total = w.total_steps(config, len(rows))
    progress = w.Progress(total)

    class ProtocolCallback(transformers.TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            logs = logs or {}
            if "eval_loss" in logs:
                progress.emit(state.global_step, logs["eval_loss"], None, phase="eval")
            elif "loss" in logs:
                progress.emit(state.global_step, logs["loss"], logs.get("learning_rate"))

    tokenizer = transformers.AutoTokenizer.from_pretrained(config["base_model"])
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    lora = peft.LoraConfig(
        r=int(h["lora_rank"]), lora_alpha=h["lora_alpha"], lora_dropout=h["lora_dropout"],
        target_modules="all-linear", task_type="CAUSAL_LM",
    )
    common = dict(
        output_dir=config["output_dir"], num_train_epochs=h["epochs"], max_steps=h["max_steps"] or -1,
        learning_rate=h["learning_rate"], per_device_train_batch_size=int(h["batch_size"]),
        gradient_accumulation_steps=int(h["gradient_accumulation"]), seed=int(h["seed"]),
        logging_steps=1, save_strategy="no", report_to=[], disable_tqdm=True,
        eval_strategy="epoch" if valid is not None else "no",
        bf16=torch.cuda.is_available() and torch.cuda.is_bf16_supported(),
    )
    if method == "dpo":
        args = trl.DPOConfig(beta=h["beta"], max_length=int(h["max_seq_length"]), **common)
        trainer = trl.DPOTrainer(
            model=config["base_model"], args=args, train_dataset=train, eval_dataset=valid,
            processing_class=tokenizer, peft_config=lora, callbacks=[ProtocolCallback()],
        )
    else:
        args = trl.SFTConfig(max_length=int(h["max_seq_length"]), **common)
        trainer = trl.SFTTrainer(
            model=config["base_model"], args=args, train_dataset=train, eval_dataset=valid,
            processing_class=tokenizer, peft_config=lora, callbacks=[ProtocolCallback()],
        )
    progress.emit(0)
    trainer.train()
    # With a PEFT model, save_model writes only the adapter: adapter_model.safetensors + adapter_config.json.
    trainer.save_model(config["output_dir"])
    w.log(f"winnow-trainer: adapter written to {config['output_dir']}")


if __name__ == "__main__":
    main()
