using System.Threading.Channels;
using Mender.Llm.Inference;
using Mender.Llm.Tokenizers;

namespace Mender.Llm.Generation;

/// <summary>
/// Serves generation requests with continuous batching: as many requests run at once as the session has sequences, each
/// on its own KV-cache sequence, and their next tokens are evaluated in one <see cref="InferenceSession.DecodeBatch"/> pass
/// (which reads the weights once for all of them). A new request takes the free sequence whose cached tokens share the
/// longest prefix with its prompt. One worker thread runs the model; callers just await their results.
/// </summary>
internal sealed class BatchGenerator : IDisposable
{
    private readonly InferenceSession _session;
    private readonly Tokenizer _tokenizer;
    private readonly Channel<Request> _queue = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Slot[] _slots;
    private readonly Thread _worker;
    private volatile bool _disposed;

    private sealed record Request(int[] Prompt, GenerationOptions Options, Action<string>? OnText, CancellationToken Cancellation)
    {
        public readonly TaskCompletionSource<GenerationResult> Completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed class Slot(int sequence, int vocabSize)
    {
        public readonly int Sequence = sequence;
        public readonly PromptCache Cache = new();
        public readonly float[] Logits = new float[vocabSize];
        public Request? Request;
        public SequenceDecoder? Decoder;
    }

    public BatchGenerator(LlmModel model, Tokenizer tokenizer, int sequences, int contextLength = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sequences, 1);
        if (tokenizer.VocabularySize > model.Config.VocabSize)
            throw new ArgumentException($"the tokenizer has {tokenizer.VocabularySize} tokens but the model only {model.Config.VocabSize}", nameof(tokenizer));
        _session = model.CreateSession(sequences, contextLength, batchSize: Math.Max(512, sequences));
        _tokenizer = tokenizer;
        _slots = Enumerable.Range(0, sequences).Select(s => new Slot(s, _session.VocabSize)).ToArray();
        _worker = new Thread(Run) { IsBackground = true, Name = "mender-llm-batch" };
        _worker.Start();
    }

    /// <summary>
    /// Queues a generation; <paramref name="onText"/> (called on the worker thread) receives text as it becomes final.
    /// Invalid requests (prompt too long, schema too big for the token limit) fail the returned task.
    /// </summary>
    public Task<GenerationResult> GenerateAsync(int[] prompt, GenerationOptions options, Action<string>? onText = null,
        CancellationToken cancellation = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var request = new Request(prompt, options, onText, cancellation);
        if (!_queue.Writer.TryWrite(request))
            throw new ObjectDisposedException(nameof(BatchGenerator));
        return request.Completion.Task;
    }

    private void Run()
    {
        var tokens = new int[_slots.Length];
        var sequences = new int[_slots.Length];
        var rows = new Slot[_slots.Length];
        while (true)
        {
            if (_disposed)
            {
                foreach (var slot in _slots)
                    if (slot.Request is not null)
                    {
                        slot.Decoder!.Cancel();
                        Complete(slot, new ObjectDisposedException(nameof(BatchGenerator)));
                    }
                return;
            }
            var active = _slots.Count(s => s.Request is not null);
            if (active == 0)
            {
                // Nothing running: block until a request arrives or the generator is disposed.
                try
                {
                    if (!_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
                }
                catch (ChannelClosedException)
                {
                    return;
                }
            }
            Admit();

            var count = 0;
            foreach (var slot in _slots)
            {
                if (slot.Request is not { } request) continue;
                try
                {
                    if (request.Cancellation.IsCancellationRequested) slot.Decoder!.Cancel();
                    var token = slot.Decoder!.Step(slot.Logits);
                    var text = slot.Decoder.TakeText();
                    if (text.Length > 0) request.OnText?.Invoke(text);
                    if (token < 0)
                    {
                        Complete(slot, null);
                        continue;
                    }
                    tokens[count] = token;
                    sequences[count] = slot.Sequence;
                    rows[count++] = slot;
                }
                catch (Exception ex)
                {
                    Complete(slot, ex);
                }
            }
            if (count == 0) continue;
            try
            {
                _session.DecodeBatch(tokens.AsSpan(0, count), sequences.AsSpan(0, count));
                for (var i = 0; i < count; i++)
                {
                    _session.BatchLogits(i).CopyTo(rows[i].Logits);
                    rows[i].Cache.Appended(tokens[i]);
                }
            }
            catch (Exception ex)
            {
                for (var i = 0; i < count; i++) Complete(rows[i], ex);
            }
        }
    }

    /// <summary>Starts queued requests while sequences are free, evaluating each prompt on its sequence.</summary>
    private void Admit()
    {
        while (_slots.Any(s => s.Request is null) && _queue.Reader.TryRead(out var request))
        {
            if (request.Cancellation.IsCancellationRequested)
            {
                request.Completion.TrySetCanceled(request.Cancellation);
                continue;
            }
            var slot = _slots.Where(s => s.Request is null).MaxBy(s => s.Cache.CommonPrefix(request.Prompt))!;
            try
            {
                slot.Decoder = new SequenceDecoder(_tokenizer, _session.VocabSize, request.Prompt, request.Options, _session.ContextLength);
                slot.Cache.Evaluate(_session, slot.Sequence, request.Prompt).CopyTo(slot.Logits);
                slot.Request = request;
            }
            catch (Exception ex)
            {
                slot.Decoder = null;
                request.Completion.TrySetException(ex);
            }
        }
    }

    private static void Complete(Slot slot, Exception? error)
    {
        var request = slot.Request!;
        var result = slot.Decoder!.Result;
        slot.Request = null;
        slot.Decoder = null;
        if (error is not null) request.Completion.TrySetException(error);
        else if (result.FinishReason == FinishReason.Cancelled) request.Completion.TrySetCanceled(request.Cancellation);
        else request.Completion.TrySetResult(result);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _queue.Writer.TryComplete();
        _worker.Join();
        while (_queue.Reader.TryRead(out var pending))
            pending.Completion.TrySetException(new ObjectDisposedException(nameof(BatchGenerator)));
        _session.Dispose();
    }
}
