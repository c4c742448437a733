"""The library makes no deprecated 🤗 / TRL / PEFT call: run each of its 🤗 paths once on tiny models and fail on any
deprecation those packages report while minigrpo's code is on the stack.

Why a script of its own rather than a warnings filter over the notebooks: transformers reports deprecations on two
channels. A renamed argument gives a `FutureWarning` whose `stacklevel` points into torch's `Module.__call__`, so a
filter on the warning's module (`module="transformers"`) never sees it; other renames are logged with
`logger.warning_once`, which no warnings filter sees, and only once per process, so in a notebook run the first cell
to trigger it hides it from every later one. Here each message, on either channel, is caught as it is made, with its
call stack: it counts when it mentions a deprecation (or is a DeprecationWarning/FutureWarning), comes from
transformers/trl/peft/torch, and a frame of the minigrpo package is on the stack (a deprecation inside those packages
that minigrpo did not call is not ours to fix). A fresh process, so `warning_once` has said nothing yet.

Run from the repository root: `python .ci/deprecations.py`. Prints each path it ran; exit 1 with the offending calls.
"""
import logging, os, sys, tempfile, traceback, warnings
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))   # this checkout's minigrpo, not an installed one

PACKAGE = str(Path(__file__).resolve().parent.parent/"minigrpo") + os.sep   # this checkout's package folder, exactly
PACKAGES = ("transformers", "trl", "peft", "torch", "accelerate", "datasets")
found = []   # (what, message, the innermost minigrpo frame)

def _where(stack):
    "The innermost frame of the minigrpo package on `stack`, as 'file:line in function', or None."
    ours = [f for f in stack if os.path.realpath(f.filename).startswith(PACKAGE)]
    return f"{Path(ours[-1].filename).name}:{ours[-1].lineno} in {ours[-1].name}" if ours else None

def _from_packages(stack) -> bool:
    return any(f"{os.sep}{p}{os.sep}" in f.filename for f in stack for p in PACKAGES)

def _note(what: str, message: str, deprecation: bool) -> None:
    stack = traceback.extract_stack()[:-2]
    where = _where(stack)
    if (deprecation or "deprecat" in message.lower()) and where and _from_packages(stack): found.append((what, message, where))

_show = warnings.showwarning
def _showwarning(message, category, filename, lineno, file=None, line=None):
    _note(category.__name__, str(message), issubclass(category, (DeprecationWarning, FutureWarning, PendingDeprecationWarning)))
    if not issubclass(category, (DeprecationWarning, FutureWarning, PendingDeprecationWarning)): _show(message, category, filename, lineno, file, line)

class _Catcher(logging.Handler):
    def emit(self, record): _note(f"log {record.name}", record.getMessage(), False)

def main() -> int:
    warnings.simplefilter("always")
    warnings.showwarning = _showwarning
    for name in ("transformers", "trl", "peft", "accelerate", "datasets"): logging.getLogger(name).addHandler(_Catcher(logging.DEBUG))
    import torch
    torch.manual_seed(0)
    from transformers import LlamaConfig, LlamaForCausalLM
    from transformers.utils import logging as hf_logging
    hf_logging.set_verbosity_warning()
    hf_logging.disable_progress_bar()
    from minigrpo.bpe import BPETokenizer
    from minigrpo.gpt import GPT, GPTConfig
    from minigrpo.hf import load_causal_lm, to_trl_config
    from minigrpo.lora import LoRAConfig, add_lora, merge_lora
    from minigrpo.rewards import correctness_reward
    from minigrpo.sampling import adapt_model, generate
    from minigrpo.trainer import GRPOConfig, GRPOTrainer

    ran = []
    def step(name, fn):
        fn()
        ran.append(name)
        print(f"deprecations: ran {name}", flush=True)

    text = " ".join(f"Q: {a}+{b}=? A: {a + b}." for a in range(30) for b in range(30))
    bpe = BPETokenizer.train(text, vocab_size=270, special_tokens=["<|endoftext|>"])
    tokenizer = bpe.to_hf()   # chapter 00's tokenizer as a 🤗 PreTrainedTokenizerFast
    config = LlamaConfig(vocab_size=len(tokenizer), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=4,
                         num_key_value_heads=2, max_position_embeddings=128, eos_token_id=tokenizer.eos_token_id,
                         pad_token_id=tokenizer.eos_token_id)
    llama = LlamaForCausalLM(config).eval()
    prompts = [tokenizer("Q: 1+1=? A:")["input_ids"], tokenizer("Q: 2+2=?")["input_ids"]]
    work = Path(tempfile.mkdtemp(prefix="minigrpo-deprecations-"))

    step("sampling a 🤗 Llama through ModelAdapter (KV cache, and without)", lambda: [
        generate(llama, prompts, max_new_tokens=6, seed=0, eos_token_id=tokenizer.eos_token_id, use_cache=c) for c in (True, False)])
    step("GPT.from_hf and to_hf (Llama), sampling the copy", lambda: generate(
        GPT.from_hf(llama).to_hf(eos_token_id=tokenizer.eos_token_id), prompts, max_new_tokens=4, seed=0))
    step("GPT.to_hf (GPT-2)", lambda: generate(GPT(GPTConfig(vocab_size=270, block_size=64, n_layer=1, n_head=2, n_embd=16)).to_hf(),
                                               prompts, max_new_tokens=4, seed=0))
    def save_and_load():
        llama.save_pretrained(work/"llama")
        tokenizer.save_pretrained(work/"llama")
        model, tok = load_causal_lm(work/"llama", local_files_only=True)
        generate(model, prompts, max_new_tokens=4, seed=0)
        GPT.from_hf(work/"llama")
    step("save_pretrained, load_causal_lm and GPT.from_hf of a local folder", save_and_load)
    def lora():
        wrapped = add_lora(LlamaForCausalLM(config), LoRAConfig(r=4, alpha=8))
        generate(wrapped, prompts, max_new_tokens=4, seed=0)
        merge_lora(wrapped)
    step("minigrpo LoRA on a 🤗 Llama (add, sample, merge)", lora)
    grpo = GRPOConfig(max_steps=1, prompts_per_step=2, num_generations=2, max_completion_length=6, ckpt_every=0,
                      log_samples_every=0, device="cpu")
    step("to_trl_config", lambda: to_trl_config(grpo, work/"trl"))
    data = [{"prompt": "Q: 1+1=? A:", "answer": "2"}, {"prompt": "Q: 2+2=? A:", "answer": "4"}]
    step("one GRPO step on a 🤗 Llama", lambda: GRPOTrainer(LlamaForCausalLM(config), tokenizer, correctness_reward, data, grpo,
                                                            out_dir=work/"grpo").train(progress=False))
    step("one GRPO step on a 🤗 Llama with fast rollouts (a minigrpo GPT copy samples)", lambda: GRPOTrainer(
        LlamaForCausalLM(config), tokenizer, correctness_reward, data, GRPOConfig(**{**grpo.__dict__, "fast_rollouts": True}),
        out_dir=work/"fast").train(progress=False))
    def records():
        from datasets import Dataset, DatasetDict, disable_progress_bars
        disable_progress_bars()
        from minigrpo.hf import load_records
        from minigrpo.tasks import from_gsm8k
        DatasetDict({"train": Dataset.from_list([{"question": "Q?", "answer": "1 + 1 = 2\n#### 2"}])}).save_to_disk(str(work/"gsm"))
        from_gsm8k(load_records(work/"gsm")["train"])
    step("load_records of a save_to_disk folder, from_gsm8k", records)
    def peft_step():
        from peft import LoraConfig, get_peft_model
        model = get_peft_model(LlamaForCausalLM(config), LoraConfig(r=4, lora_alpha=8, target_modules=["q_proj", "v_proj"]))
        GRPOTrainer(model, tokenizer, correctness_reward, data, GRPOConfig(**{**grpo.__dict__, "beta": 0.1}),
                    out_dir=work/"peft").train(progress=False)
    step("one GRPO step on a PEFT LoRA 🤗 Llama with a KL reference (adapters off)", peft_step)

    found[:] = dict.fromkeys(found)   # each call once
    if found:
        print(f"deprecations: {len(found)} deprecated 🤗/TRL/PEFT call(s) made by minigrpo:")
        for what, message, where in found: print(f"  {where}: {what}: {message.strip()}")
        print("deprecations: pass the arguments the installed version documents (see the message), or pin a bound in settings.ini")
        return 1
    print(f"deprecations: none in {len(ran)} 🤗/TRL/PEFT paths")
    return 0

if __name__ == "__main__": sys.exit(main())
