using System.Text.Json;
using System.Text.Json.Serialization;
using Mender.Service;
using Mender.Server.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.AI;

namespace Mender.Server.Api;

/// <summary>
/// `POST /v1/chat/completions`, OpenAI-compatible with model "mender": the last user message is the preference, the
/// history comes from `user` (a user id) and/or `metadata.history` (item ids), and `metadata` may also carry k, beam,
/// reasoning and exclude_history (`reasoning_effort` other than "none" also turns reasoning on); `temperature` and
/// `seed` pass through as in <see cref="MenderChatClient"/>. With `stream: true`
/// the answer is server-sent `chat.completion.chunk`s: the thought as `reasoning_content` deltas, then one content delta
/// per item line, a closing chunk with the finish reason, the usage and the structured list, then `data: [DONE]`.
/// </summary>
internal static class ChatCompletionEndpoints
{
    public const string ModelName = "mender";

    internal sealed class Body
    {
        public string? Model { get; init; }
        public List<Message>? Messages { get; init; }
        public bool Stream { get; init; }
        public string? User { get; init; }
        public Dictionary<string, JsonElement>? Metadata { get; init; }
        public string? ReasoningEffort { get; init; }

        /// <summary>Not OpenAI's, but what this server's own endpoint calls it; clients send it at the top level too.</summary>
        public bool? Reasoning { get; init; }
        public float? Temperature { get; init; }
        public long? Seed { get; init; }
    }

    internal sealed class Message
    {
        public string? Role { get; init; }
        public JsonElement Content { get; init; }
    }

    // Chunks keep "finish_reason": null as OpenAI writes it, so the one shared option set (which drops nulls) is not used.
    private static readonly JsonSerializerOptions ChunkJson = new(ServerJson.Options) { DefaultIgnoreCondition = JsonIgnoreCondition.Never };

    public static void Map(IEndpointRouteBuilder app)
    {
        // OpenAI clients list the models before they talk; there is one.
        app.MapGet("/v1/models", (ServiceState state) =>
        {
            Readiness.Require(state);
            return Results.Json(new
            {
                @object = "list",
                data = new[] { new { id = ModelName, @object = "model", created = 0, owned_by = "mender" } },
            }, ServerJson.Options);
        });

        app.MapPost("/v1/chat/completions", async (HttpContext context, ServiceState state, ServerOptions options, RequestMetrics metrics) =>
        {
            var service = Readiness.Require(state);
            var body = await JsonBody.ReadAsync<Body>(context, options.MaxRequestBodyBytes, ServerJson.Lenient);
            var request = ToRequest(body);
            if (request.Reasoning) Readiness.RequireReasoning(service);
            var id = "chatcmpl-" + Guid.NewGuid().ToString("N")[..24];
            var created = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            if (body.Stream)
            {
                await StreamAsync(context, service.StreamAsync(request, context.RequestAborted), id, created, metrics);
                return Results.Empty;
            }
            var response = await service.RecommendAsync(request, context.RequestAborted);
            metrics.Tokens(response.PromptTokens, response.CompletionTokens);
            metrics.Items(response.Items.Count);
            return Results.Json(new
            {
                id,
                @object = "chat.completion",
                created,
                model = ModelName,
                choices = new[]
                {
                    new
                    {
                        index = 0,
                        message = new { role = "assistant", content = MenderChatClient.ListText(response), reasoning_content = response.Reasoning },
                        finish_reason = "stop",
                    },
                },
                usage = Usage(response),
                recommendations = Extension(response),
            }, ServerJson.Options);
        });
    }

    internal static RecommendationRequest ToRequest(Body body)
    {
        if (body.Model is { } model && !string.Equals(model, ModelName, StringComparison.OrdinalIgnoreCase))
            throw ApiProblem.BadRequest($"this server serves the model '{ModelName}', not '{model}'", "model");
        if (body.Messages is not { Count: > 0 } messages)
            throw ApiProblem.BadRequest("messages must hold at least one message", "messages");
        var turns = messages.Where(m => string.Equals(m.Role, "user", StringComparison.OrdinalIgnoreCase)).Select(m => Text(m.Content)).ToList();
        if (turns.Count == 0) throw ApiProblem.BadRequest("messages must hold a user message (the user's turns state the preference)", "messages");
        // One mapping from a conversation to a request, shared with MenderChatClient: metadata are the chat options' extras.
        // OpenAI's metadata values are strings, so numbers and flags may come as text and a history as "id1,id2,...".
        var extras = new AdditionalPropertiesDictionary();
        foreach (var (key, value) in body.Metadata ?? []) extras[key] = value;
        if (!string.IsNullOrWhiteSpace(body.User)) extras[MenderChatClient.UserIdKey] = body.User;
        if (!extras.ContainsKey(MenderChatClient.ReasoningKey)
            && (body.Reasoning ?? (body.ReasoningEffort is { } effort && !string.Equals(effort, "none", StringComparison.OrdinalIgnoreCase))))
            extras[MenderChatClient.ReasoningKey] = true;
        var options = new ChatOptions { Temperature = body.Temperature, Seed = body.Seed, AdditionalProperties = extras };
        try
        {
            return MenderChatClient.RequestOf(turns.Select(t => new ChatMessage(ChatRole.User, t)), options);
        }
        catch (ArgumentException e) when (e.ParamName is { } key && body.Metadata?.ContainsKey(key) == true)
        {
            // The mapping names the key ("k must be a whole number"); the client sent it inside metadata.
            throw ApiProblem.BadRequest("metadata." + e.Message.Replace($" (Parameter '{key}')", "", StringComparison.Ordinal), $"metadata.{key}");
        }
    }

    private static async Task StreamAsync(HttpContext context, IAsyncEnumerable<RecommendationEvent> events, string id, long created,
        RequestMetrics metrics)
    {
        var ct = context.RequestAborted;
        await using var enumerator = events.GetAsyncEnumerator(ct);
        // The first event is awaited before the headers go out, so a bad request is still a problem+json answer.
        var more = await enumerator.MoveNextAsync();

        var response = context.Response;
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await WriteAsync(response, Chunk(id, created, new Dictionary<string, object?> { ["role"] = "assistant", ["content"] = "" }), ct);
        try
        {
            for (; more; more = await enumerator.MoveNextAsync())
            {
                switch (enumerator.Current)
                {
                    case ThoughtDelta thought:
                        await WriteAsync(response, Chunk(id, created, new Dictionary<string, object?> { ["reasoning_content"] = thought.Text }), ct);
                        break;
                    case PreferenceChosen chosen:
                        await WriteAsync(response, Chunk(id, created, [], extension: new { preference = chosen.Text }), ct);
                        break;
                    case Completed completed:
                        var answer = completed.Response;
                        metrics.Tokens(answer.PromptTokens, answer.CompletionTokens);
                        metrics.Items(answer.Items.Count);
                        foreach (var line in Lines(answer))
                            await WriteAsync(response, Chunk(id, created, new Dictionary<string, object?> { ["content"] = line }), ct);
                        await WriteAsync(response, Chunk(id, created, [], "stop", Extension(answer), Usage(answer)), ct);
                        break;
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // Headers are out, so the status cannot change: report the failure in-band as OpenAI-style servers do.
            var problem = ProblemMiddleware.Map(e);
            await WriteAsync(response, new { error = new { message = problem.Message, type = problem.Title, code = problem.Status } }, ct);
            return;
        }
        await response.WriteAsync("data: [DONE]\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    private static object Chunk(string id, long created, Dictionary<string, object?> delta, string? finish = null,
        object? extension = null, object? usage = null)
    {
        var chunk = new Dictionary<string, object?>
        {
            ["id"] = id,
            ["object"] = "chat.completion.chunk",
            ["created"] = created,
            ["model"] = ModelName,
            ["choices"] = new[] { new Dictionary<string, object?> { ["index"] = 0, ["delta"] = delta, ["finish_reason"] = finish } },
        };
        if (usage is not null) chunk["usage"] = usage;
        if (extension is not null) chunk["recommendations"] = extension;
        return chunk;
    }

    private static async Task WriteAsync(HttpResponse response, object payload, CancellationToken ct)
    {
        var json = JsonSerializer.Serialize(payload, ChunkJson);
        await response.WriteAsync($"data: {json}\n\n", ct);
        await response.Body.FlushAsync(ct);
    }

    /// <summary>
    /// The list as the in-process <see cref="MenderChatClient"/> writes it, cut into lines (each keeping its newline) so a
    /// stream shows the items one by one.
    /// </summary>
    internal static IEnumerable<string> Lines(RecommendationResponse response)
    {
        var text = MenderChatClient.ListText(response);
        for (var start = 0; start < text.Length;)
        {
            var end = text.IndexOf('\n', start);
            var next = end < 0 ? text.Length : end + 1;
            yield return text[start..next];
            start = next;
        }
    }

    private static object Usage(RecommendationResponse response) => new
    {
        prompt_tokens = response.PromptTokens,
        completion_tokens = response.CompletionTokens,
        total_tokens = response.PromptTokens + response.CompletionTokens,
    };

    private static object Extension(RecommendationResponse response) => new
    {
        items = RecommendationEndpoints.Items(response.Items),
        preference = response.Preference,
        mode = response.Mode,
        notes = response.Notes,
        milliseconds = response.Milliseconds,
    };

    /// <summary>A message's text: a plain string, or the text parts of a content array.</summary>
    private static string Text(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString()!.Trim(),
        JsonValueKind.Array => string.Join(" ", content.EnumerateArray()
            .Where(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("text", out var t) && t.ValueKind == JsonValueKind.String)
            .Select(p => p.GetProperty("text").GetString()!.Trim())).Trim(),
        JsonValueKind.Null or JsonValueKind.Undefined => "",
        _ => throw ApiProblem.BadRequest("a message's content must be a string or an array of text parts", "messages"),
    };
}
