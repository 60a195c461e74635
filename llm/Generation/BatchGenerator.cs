using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Threading.Channels;
using LLama;
using LLama.Native;
using Mender.Llm.Runtime;

namespace Mender.Llm.Generation;

/// <summary>
/// Serves generation requests with continuous batching over one llama.cpp context: up to <see cref="Sequences"/>
/// requests run at once, each on its own KV-cache sequence, and every step evaluates one batch holding the next token
/// of each decoding request plus chunks of the prompts still being read, so the weights are read once for all of them.
/// A new prompt starts from the longest prefix any sequence already holds (the cells are copied, not recomputed), which
/// makes an instruction prefix common to many prompts cost one evaluation; when a sequence is still reading a longer
/// common prefix (prompts that grow one from another, started together), the new prompt waits for those cells instead
/// of reading the same tokens alongside. One worker thread owns the context.
/// </summary>
public sealed class BatchGenerator : IDisposable
{
    private readonly LlmModel model;
    private readonly LLamaContext context;
    private readonly GenerationSlot[] slots;
    private readonly Channel<GenerationRequest> queue = Channel.CreateUnbounded<GenerationRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread worker;
    private readonly bool reusePrefixes;
    private volatile bool disposed;

    /// <param name="model">The loaded model.</param>
    /// <param name="sequences">Requests decoded together; more concurrent callers wait.</param>
    /// <param name="contextLength">Tokens of context per request (prompt plus answer); 0 means the model's, at most 4096.</param>
    /// <param name="reusePrefixes">Start prompts from what the cache already holds; false evaluates every prompt whole.</param>
    public BatchGenerator(LlmModel model, int sequences = 1, int contextLength = 0, bool reusePrefixes = true)
    {
        this.reusePrefixes = reusePrefixes;
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(contextLength);
        this.model = model;
        Sequences = sequences;
        ContextLength = contextLength > 0 ? contextLength : Math.Min(model.TrainedContextLength, 4096);
        this.context = model.CreateContext(ContextLength * sequences, sequences);
        slots = Enumerable.Range(0, sequences).Select(s => new GenerationSlot(s)).ToArray();
        this.worker = new Thread(Run) { IsBackground = true, Name = "mender-llm-batch" };
        this.worker.Start();
    }

    /// <summary>How many sequences the generator decodes together in one batch.</summary>
    public int Sequences { get; }

    /// <summary>Tokens of context per request: a prompt must leave room for at least one answer token.</summary>
    public int ContextLength { get; }

    /// <summary>
    /// Queues a generation; <paramref name="onText"/> (called on the worker thread) receives text as it becomes final.
    /// A prompt that leaves no room for an answer fails at once with <see cref="PromptTooLongException"/>.
    /// </summary>
    public Task<GenerationResult> GenerateAsync(int[] prompt, GenerationOptions options, Action<string>? onText = null,
        CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(disposed, this);
        if (prompt.Length == 0) throw new ArgumentException("the prompt has no tokens", nameof(prompt));
        if (prompt.Length >= ContextLength) throw new PromptTooLongException(prompt.Length, ContextLength);
        if (options.MaxTokens < 1) throw new ArgumentException($"at least one token must be allowed, got {options.MaxTokens}");
        options.Sampling.Validate();
        var request = new GenerationRequest(prompt, options, onText, cancellation);
        var queued = queue.Writer.TryWrite(request);
        ObjectDisposedException.ThrowIf(!queued, this);
        return request.Completion.Task;
    }

    private void Run()
    {
        var batch = new LLamaBatch();
        var rows = new List<(GenerationSlot Slot, int Index)>();
        while (!disposed)
        {
            if (slots.All(s => s.Request is null))
            {
                try
                {
                    if (!queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) break;
                }
                catch (ChannelClosedException)
                {
                    break;
                }
            }
            Admit();
            batch.Clear();
            rows.Clear();
            Fill(batch, rows);
            if (batch.TokenCount == 0) continue;
            Step(batch, rows);
        }
        foreach (var slot in slots)
            if (slot.Request is not null) slot.Fail(new ObjectDisposedException(nameof(BatchGenerator)));
    }

    /// <summary>Starts queued requests while sequences are free, each from the longest prefix already in the cache.</summary>
    private void Admit()
    {
        while (slots.Any(s => s.Request is null) && queue.Reader.TryRead(out var request))
        {
            if (request.Cancellation.IsCancellationRequested)
            {
                request.Completion.TrySetCanceled(request.Cancellation);
                continue;
            }
            var slot = slots.Where(s => s.Request is null).MaxBy(s => CommonPrefix(s.Cached, request.Prompt))!;
            var source = slots.MaxBy(s => CommonPrefix(s.Cached, request.Prompt))!;
            // At least the last prompt token is evaluated again: its logits give the first answer token.
            var reused = this.reusePrefixes ? Math.Min(CommonPrefix(source.Cached, request.Prompt), request.Prompt.Length - 1) : 0;
            if (source != slot && reused > CommonPrefix(slot.Cached, request.Prompt))
            {
                CopyPrefix(source, slot, reused);
            }
            else
            {
                reused = Math.Min(reused, CommonPrefix(slot.Cached, request.Prompt));
                this.context.NativeHandle.MemorySequenceRemove((LLamaSeqId)slot.Sequence, reused, -1);
            }
            slot.Cached.Clear();
            slot.Cached.AddRange(request.Prompt.AsSpan(0, reused));
            try
            {
                slot.Start(request, this.model, reused);
            }
            catch (Exception ex)
            {
                request.Completion.TrySetException(ex);
                continue;
            }
            if (this.reusePrefixes) slot.Awaited = LongerPrefixBeingRead(slot, request.Prompt, reused);
        }
    }

    /// <summary>The longest prefix of <paramref name="prompt"/> beyond <paramref name="reused"/> that another sequence is still reading.</summary>
    private AwaitedPrefix? LongerPrefixBeingRead(GenerationSlot slot, int[] prompt, int reused)
    {
        AwaitedPrefix? best = null;
        foreach (var source in slots)
        {
            if (source == slot || !source.IsPrefilling) continue;
            var length = Math.Min(CommonPrefix(source.Request!.Prompt, prompt), prompt.Length - 1);
            if (length > (best?.Length ?? reused)) best = new AwaitedPrefix(source, source.Request, length);
        }
        return best;
    }

    /// <summary>
    /// Copies an awaited prefix into its sequence once the source has evaluated it, or as much of it as the source
    /// still holds when the source stopped reading that prompt (it failed, or its cells went to another prompt).
    /// Runs before a batch is filled, so every cell counted in a sequence's cache has been evaluated.
    /// </summary>
    private void TakeAwaited(GenerationSlot slot, AwaitedPrefix awaited)
    {
        var prompt = slot.Request!.Prompt;
        var held = CommonPrefix(awaited.Source.Cached, prompt);
        if (awaited.Source.Request == awaited.Request && held < awaited.Length) return;
        slot.Awaited = null;
        var length = Math.Min(held, awaited.Length);
        if (length <= slot.Prefilled) return;
        CopyPrefix(awaited.Source, slot, length);
        slot.Cached.AddRange(prompt.AsSpan(slot.Prefilled, length - slot.Prefilled));
        slot.Shared(length);
    }

    /// <summary>
    /// Gives <paramref name="destination"/>'s sequence the first <paramref name="length"/> cells of
    /// <paramref name="source"/>'s. Each sequence has a KV stream of its own (see <see cref="LlmModel.ContextParameters"/>),
    /// and llama.cpp copies between streams whole, before the next evaluation: all of the source's cells are taken and
    /// those past the prefix dropped. That is a copy of memory, far cheaper than evaluating the prefix again.
    /// </summary>
    private void CopyPrefix(GenerationSlot source, GenerationSlot destination, int length)
    {
        var handle = this.context.NativeHandle;
        handle.MemorySequenceCopy((LLamaSeqId)source.Sequence, (LLamaSeqId)destination.Sequence, -1, -1);
        handle.MemorySequenceRemove((LLamaSeqId)destination.Sequence, length, -1);
    }

    /// <summary>One token per decoding request, then prompt chunks, up to the batch size.</summary>
    private void Fill(LLamaBatch batch, List<(GenerationSlot Slot, int Index)> rows)
    {
        var budget = this.model.Options.BatchSize;
        foreach (var slot in slots)
            if (slot.Request is not null && slot.Awaited is { } awaited) TakeAwaited(slot, awaited);
        foreach (var slot in slots)
        {
            if (slot.Request is null || slot.IsPrefilling || budget == 0) continue;
            rows.Add((slot, batch.Add(slot.Pending, slot.Cached.Count, (LLamaSeqId)slot.Sequence, true)));
            slot.Cached.Add(slot.Pending);
            budget--;
        }
        foreach (var slot in slots)
        {
            if (!slot.IsPrefilling || slot.Awaited is not null || budget == 0) continue;
            // A long prompt is read over several steps; a caller that gave up is not kept waiting for all of them.
            if (slot.Request!.Cancellation.IsCancellationRequested)
            {
                slot.Fail(new OperationCanceledException(slot.Request.Cancellation));
                continue;
            }
            var prompt = slot.Request.Prompt;
            var count = Math.Min(budget, prompt.Length - slot.Prefilled);
            for (var i = 0; i < count; i++)
            {
                var position = slot.Prefilled + i;
                var last = position == prompt.Length - 1;
                var index = batch.Add(prompt[position], position, (LLamaSeqId)slot.Sequence, last);
                if (last) rows.Add((slot, index));
                slot.Cached.Add(prompt[position]);
            }
            slot.Prefilled += count;
            budget -= count;
        }
    }

    /// <summary>Evaluates the batch and advances every request that got logits.</summary>
    private void Step(LLamaBatch batch, List<(GenerationSlot Slot, int Index)> rows)
    {
        var result = this.context.NativeHandle.Decode(batch);
        if (result != DecodeResult.Ok)
        {
            // What the cache holds after a failed batch is unknown, so no sequence offers its prefix again.
            var error = new InvalidOperationException($"llama.cpp could not evaluate the batch ({result})");
            this.context.NativeHandle.MemoryClear(true);
            foreach (var slot in slots)
            {
                slot.Cached.Clear();
                if (slot.Request is not null) slot.Fail(error);
            }
            return;
        }
        // The native threads are idle while tokens are drawn, and a grammar can make drawing as costly as the evaluation.
        if (rows.Count == 1) Advance(rows[0].Slot, rows[0].Index);
        else Parallel.ForEach(rows, row => Advance(row.Slot, row.Index));
    }

    private void Advance(GenerationSlot slot, int index)
    {
        if (slot.Request is null) return;
        try
        {
            var logits = this.context.NativeHandle.GetLogitsIth(index);
            if (!float.IsFinite(TensorPrimitives.Sum(logits)))
                throw new InvalidDataException($"'{this.model.Path}' gives logits that are not finite numbers: its weights hold NaN or infinite values");
            slot.Advance(logits, this.model, ContextLength);
        }
        catch (Exception ex)
        {
            slot.Fail(ex);
        }
    }

    private static int CommonPrefix(List<int> cached, int[] prompt) => CollectionsMarshal.AsSpan(cached).CommonPrefixLength(prompt);

    private static int CommonPrefix(int[] a, int[] b) => a.AsSpan().CommonPrefixLength(b);

    /// <summary>Frees the native context and its KV cache.</summary>
    public void Dispose()
    {
        if (disposed) return;
        disposed = true;
        queue.Writer.TryComplete();
        this.worker.Join();
        while (queue.Reader.TryRead(out var pending))
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(BatchGenerator)));
        this.context.Dispose();
    }
}
