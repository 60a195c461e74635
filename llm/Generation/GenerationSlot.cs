using System.Diagnostics;
using System.Text;
using LLama;
using Mender.Llm.Runtime;

namespace Mender.Llm.Generation;

/// <summary>
/// One KV-cache sequence of a <see cref="BatchGenerator"/>: the tokens its cache holds (kept after a request ends, so
/// the next prompt that starts the same way reuses them) and, while it serves a request, that request's progress.
/// </summary>
internal sealed class GenerationSlot(int sequence)
{
    public int Sequence { get; } = sequence;

    /// <summary>Tokens whose keys and values are in the cache, at positions 0..Count-1.</summary>
    public List<int> Cached { get; } = [];

    public GenerationRequest? Request { get; private set; }

    /// <summary>How much of the prompt is in the cache; the request is decoding once it is all there.</summary>
    public int Prefilled { get; set; }

    public bool IsPrefilling => Request is not null && Prefilled < Request.Prompt.Length;

    /// <summary>
    /// A prompt prefix that another sequence was still reading when this request started: this one copies those cells
    /// once they are there (<see cref="Shared"/>) instead of reading the same tokens itself.
    /// </summary>
    public AwaitedPrefix? Awaited { get; set; }

    /// <summary>The token sampled last, to be evaluated in the next batch.</summary>
    public int Pending { get; private set; }

    private readonly List<int> generated = [];
    private readonly StringBuilder text = new();
    private TokenSampler? sampler;
    private StreamingTokenDecoder? decoder;
    private StopStringFilter? stops;
    private int cachedAtStart;
    private long admitted;
    private long firstToken;

    public void Start(GenerationRequest request, LlmModel model, int reused)
    {
        sampler = new TokenSampler(model, request.Options.Sampling, request.Options.Grammar);
        decoder = new StreamingTokenDecoder(Encoding.UTF8, model.Weights);
        stops = new StopStringFilter(request.Options.StopStrings);
        generated.Clear();
        text.Clear();
        cachedAtStart = reused;
        admitted = Stopwatch.GetTimestamp();
        firstToken = 0;
        Prefilled = reused;
        Awaited = null;
        Request = request;
    }

    /// <summary>The prompt is in the cache up to <paramref name="length"/>, copied from another sequence rather than read.</summary>
    public void Shared(int length)
    {
        cachedAtStart += length - Prefilled;
        Prefilled = length;
    }

    /// <summary>
    /// Takes the next token from this sequence's logits. Returns false when the request is finished (its result is set).
    /// </summary>
    public bool Advance(ReadOnlySpan<float> logits, LlmModel model, int contextLength)
    {
        var request = Request!;
        if (firstToken == 0) firstToken = Stopwatch.GetTimestamp();
        if (request.Cancellation.IsCancellationRequested) return Finish(FinishReason.Cancelled);
        var token = sampler!.Sample(logits);
        if (request.Options.StopAtEndOfGeneration && model.IsEndOfGeneration(token)) return Finish(FinishReason.Stop);
        generated.Add(token);
        decoder!.Add(token);
        var piece = stops!.Push(decoder.Read());
        Emit(piece);
        if (stops.Stopped) return Finish(FinishReason.Stop);
        if (generated.Count >= request.Options.MaxTokens || Cached.Count + 1 >= contextLength) return Finish(FinishReason.Length);
        Pending = token;
        return true;
    }

    /// <summary>Ends the request with an error instead of a result.</summary>
    public void Fail(Exception error)
    {
        var request = Request!;
        Release();
        if (error is OperationCanceledException) request.Completion.TrySetCanceled(request.Cancellation);
        else request.Completion.TrySetException(error);
    }

    private bool Finish(FinishReason reason)
    {
        var request = Request!;
        Emit(stops!.Flush());
        var now = Stopwatch.GetTimestamp();
        var result = new GenerationResult(text.ToString(), generated.ToArray(), request.Prompt.Length, cachedAtStart, reason,
            Stopwatch.GetElapsedTime(admitted, firstToken), Stopwatch.GetElapsedTime(firstToken, now));
        Release();
        if (reason == FinishReason.Cancelled) request.Completion.TrySetCanceled(request.Cancellation);
        else request.Completion.TrySetResult(result);
        return false;
    }

    private void Emit(string piece)
    {
        if (piece.Length == 0) return;
        text.Append(piece);
        Request!.OnText?.Invoke(piece);
    }

    private void Release()
    {
        sampler?.Dispose();
        sampler = null;
        decoder = null;
        Request = null;
    }
}
