using System.CommandLine;
using Mender.Data.Demo;
using Mender.Service;
using Mender.Server;
using Mender.Server.Bench;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>
/// `mender serve`: the HTTP API and web page over a checkpoint (the demo's when none is given), and `mender bench serve`:
/// a closed-loop load on loopback against the same app.
/// </summary>
internal static class ServeCommands
{
    public static Command Create()
    {
        var checkpoint = CheckpointOption();
        var model = new Option<string?>("--model") { Description = "GGUF model for reasoning mode (without one only direct mode is served)" };
        var host = new Option<string>("--host") { Description = "Address to listen on; beyond loopback an --api-key is required", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "TCP port (0 picks a free one)", DefaultValueFactory = _ => 8080 };
        var apiKey = new Option<string?>("--api-key")
        {
            Description = "Bearer key clients must send (default: the MENDER_API_KEY environment variable)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MENDER_API_KEY"),
        };
        var concurrency = new Option<int>("--max-concurrency") { Description = "Requests served at once; more are answered 429 with Retry-After", DefaultValueFactory = _ => 4 };
        var threads = new Option<int>("--threads", "-t") { Description = "Threads of the reasoning model (0: one per core)", DefaultValueFactory = _ => 0 };
        var prompts = new Option<string?>("--prompts") { Description = "Folder overriding the shipped prompt files" };
        var otlp = new Option<string?>("--otlp-endpoint")
        {
            Description = "OpenTelemetry collector (OTLP/HTTP, e.g. http://localhost:4318) for traces and metrics (default: the OTEL_EXPORTER_OTLP_ENDPOINT environment variable)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"),
        };
        var command = new Command("serve", "Serve the recommendation API (/v1/recommendations, OpenAI-compatible /v1/chat/completions) and the web page")
        {
            checkpoint, model, host, port, apiKey, concurrency, threads, prompts, otlp,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = new CommandOutput(json: false, verbose: parse.GetValue(MenderCli.Verbose));
            var directory = ResolveCheckpoint(parse.GetValue(checkpoint));
            var options = new ServerOptions
            {
                Checkpoint = directory,
                ModelPath = parse.GetValue(model),
                Host = parse.GetValue(host)!,
                Port = parse.GetValue(port),
                ApiKey = parse.GetValue(apiKey) is { Length: > 0 } key ? key : null,
                MaxConcurrency = parse.GetValue(concurrency),
                Threads = parse.GetValue(threads),
                PromptsDirectory = parse.GetValue(prompts),
                OtlpEndpoint = parse.GetValue(otlp) is { Length: > 0 } collector
                    ? Uri.TryCreate(collector, UriKind.Absolute, out var uri) ? uri : throw new CliUserException($"--otlp-endpoint: '{collector}' is not a URL")
                    : null,
            };
            await using var app = MenderServer.Build(options);
            try
            {
                await app.StartAsync(ct);
            }
            catch (IOException e)
            {
                throw new CliUserException($"cannot listen on {options.Host}:{options.Port}: {e.Message}");
            }
            var addresses = MenderServer.Addresses(app);
            var address = addresses.Count > 0 ? addresses[0] : $"http://{options.Host}:{options.Port}";
            output.Log($"serving [bold]{Markup.Escape(directory)}[/] at {Markup.Escape(address)}/ " +
                $"(API key {(options.ApiKey is null ? "off" : "on")}, at most {options.MaxConcurrency} requests at once); Ctrl+C stops");
            output.Log("[grey]loading the checkpoint…[/]");

            var stopping = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var onCancel = ct.Register(() => stopping.TrySetResult());
            using var onStop = app.Lifetime.ApplicationStopping.Register(() => stopping.TrySetResult());
            var ready = MenderServer.WhenReady(app);
            await Task.WhenAny(ready, stopping.Task);
            if (ready.IsCompletedSuccessfully) output.Log($"[green]ready[/]: open {Markup.Escape(address)}/ in a browser");
            await stopping.Task;
            output.Log("[grey]stopping: finishing the requests in flight…[/]");
            await app.StopAsync(CancellationToken.None);
            if (ready.IsFaulted) await ready;
            output.Log("stopped");
            return 0;
        });
        return command;
    }

    /// <summary>`mender bench serve`, for `mender bench` to list.</summary>
    public static Command Bench()
    {
        var checkpoint = CheckpointOption();
        var concurrency = new Option<int>("--concurrency", "-c") { Description = "Clients in the closed loop", DefaultValueFactory = _ => 4 };
        var requests = new Option<int>("--requests", "-n") { Description = "Timed requests in all", DefaultValueFactory = _ => 400 };
        var seconds = new Option<double>("--seconds") { Description = "Stop the timed phase after this long", DefaultValueFactory = _ => 60 };
        var k = new Option<int>("-k") { Description = "Items per request", DefaultValueFactory = _ => 10 };
        var preference = new Option<string?>("--preference") { Description = "A preference sent with every request" };
        var model = new Option<string?>("--model") { Description = "GGUF model: measure reasoning mode instead of direct mode" };
        var threads = new Option<int>("--threads", "-t") { Description = "Threads of the reasoning model (0: one per core)", DefaultValueFactory = _ => 0 };
        var warmup = new Option<int>("--warmup") { Description = "Untimed requests first", DefaultValueFactory = _ => 20 };
        var json = CommandOutput.JsonOption();
        var command = new Command("serve", "/v1/recommendations latency (p50/p99) and requests/s under a closed-loop load on loopback (direct mode, or reasoning with --model)")
        {
            checkpoint, concurrency, requests, seconds, k, preference, model, threads, warmup, json,
        };
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = CommandOutput.For(parse, json);
            var directory = ResolveCheckpoint(parse.GetValue(checkpoint));
            var load = new ServeLoadOptions
            {
                Concurrency = parse.GetValue(concurrency),
                Requests = parse.GetValue(requests),
                MaxDuration = TimeSpan.FromSeconds(parse.GetValue(seconds)),
                K = parse.GetValue(k),
                Preference = parse.GetValue(preference),
                Reasoning = parse.GetValue(model) is not null,
                Warmup = Math.Max(0, parse.GetValue(warmup)),
            };
            if (load.Concurrency < 1) throw new ArgumentException($"--concurrency must be at least 1, got {load.Concurrency}");
            output.Log($"[grey]opening {Markup.Escape(directory)}[/]");
            using var service = RecommendationService.Open(new RecommendationServiceOptions
            {
                Checkpoint = directory,
                ModelPath = parse.GetValue(model),
                Threads = parse.GetValue(threads),
            });
            await using var app = MenderServer.Build(new ServerOptions { Service = service, Port = 0, MaxConcurrency = load.Concurrency });
            await app.StartAsync(ct);
            var address = new Uri(MenderServer.Addresses(app)[0]);
            var users = service.Dataset.Users.Select(u => u.ExternalId).ToArray();
            ServeLoadResult? result = null;
            await output.Err.Progress().StartAsync(async context =>
            {
                var task = context.AddTask($"{load.Concurrency} clients → {address}", maxValue: load.Requests);
                result = await ServeLoad.RunAsync(address, users, load, new Progress<int>(n => task.Value = n), ct);
                task.Value = task.MaxValue;
                output.EndProgress(task);
            });
            await app.StopAsync(CancellationToken.None);
            var r = result!;
            var document = new
            {
                checkpoint = directory,
                mode = service.Mode,
                reasoning = load.Reasoning,
                reasoning_model = service.ReasoningModelName,
                k = load.K,
                preference = load.Preference,
                concurrency = r.Concurrency,
                requests = r.Requests,
                failed = r.Failed,
                statuses = r.Statuses.ToDictionary(p => p.Key.ToString(), p => p.Value),
                seconds = Math.Round(r.Seconds, 3),
                requests_per_second = Math.Round(r.RequestsPerSecond, r.RequestsPerSecond < 1 ? 3 : 1),
                mean_ms = Math.Round(r.MeanMs, 2),
                p50_ms = Math.Round(r.P50Ms, 2),
                p90_ms = Math.Round(r.P90Ms, 2),
                p99_ms = Math.Round(r.P99Ms, 2),
                max_ms = Math.Round(r.MaxMs, 2),
                mean_completion_tokens = Math.Round(r.MeanCompletionTokens, 1),
                cores = Environment.ProcessorCount,
            };
            output.Result(document, console =>
            {
                var table = new Table().AddColumns("clients", "requests", "failed", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms");
                table.AddRow(r.Concurrency.ToString(), r.Requests.ToString("N0"), r.Failed.ToString(), $"{r.RequestsPerSecond:F1}",
                    $"{r.P50Ms:F1}", $"{r.P90Ms:F1}", $"{r.P99Ms:F1}", $"{r.MaxMs:F1}");
                console.Write(table);
                var how = load.Reasoning ? $"reasoning with {service.ReasoningModelName} ({r.MeanCompletionTokens:F0} thought tokens per request)" : "direct mode";
                console.MarkupLineInterpolated($"[grey]{how}, {service.Mode} checkpoint, k {load.K}, over HTTP on loopback, {Environment.ProcessorCount} cores shared by server and clients[/]");
            });
            return r.Failed == 0 ? 0 : 1;
        });
        return command;
    }

    private static Option<string?> CheckpointOption() => new("--checkpoint")
    {
        Description = $"Checkpoint directory written by `mender train` (default: the demo's, {DemoLayout.DefaultRoot}/runs/mender)",
    };

    private static string ResolveCheckpoint(string? given)
    {
        if (given is not null) return Path.GetFullPath(given);
        var demo = DemoLayout.Default.MenderRun;
        if (!Directory.Exists(demo))
            throw new CliUserException($"no --checkpoint given and the demo's checkpoint {demo} does not exist: run `mender demo` first, or pass --checkpoint DIR");
        return demo;
    }
}
