using System.CommandLine;
using System.Net;
using Mender.Cluster.Silo;
using Mender.Cluster.Storage;
using Mender.Llm.Adapters;
using Mender.Preference.Extraction;
using Mender.Preference.Lexicon;
using Mender.Preference.Prompts;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender cluster silo`: a worker of the Orleans cluster that extracts preferences for submitted jobs.</summary>
internal static class ClusterCommands
{
    public static Command Create()
    {
        var command = new Command("cluster", "Run work on an Orleans cluster whose membership and jobs live in PostgreSQL, or on this machine with --cluster localhost");
        command.Subcommands.Add(Silo());
        return command;
    }

    private static Command Silo()
    {
        var cluster = new Option<string?>("--cluster")
        {
            Description = "PostgreSQL connection string of the cluster (Host=…;Port=…;Username=…;Database=…), or localhost for a cluster on this machine (default: the MENDER_CLUSTER environment variable)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MENDER_CLUSTER"),
        };
        var model = new Option<string?>("--model")
        {
            Description = "GGUF model this silo extracts with (default: the MENDER_MODEL environment variable); without one the built-in lexicon extractor",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MENDER_MODEL") is { Length: > 0 } path ? path : null,
        };
        var parallel = new Option<int?>("--parallel") { Description = "Prompts in flight at once (default: 4 with a model, one per core without)" };
        var prompts = new Option<string?>("--prompts") { Description = "Folder with the prompt files to use instead of the shipped ones" };
        var context = new Option<int>("--context") { Description = "Tokens of context per prompt with a model", DefaultValueFactory = _ => 2048 };
        var address = new Option<string>("--address")
        {
            Description = "Address other silos and clients reach this silo at, or auto for this host's first non-loopback IPv4 address (default: the MENDER_ADDRESS environment variable, else 127.0.0.1)",
            DefaultValueFactory = _ => Environment.GetEnvironmentVariable("MENDER_ADDRESS") is { Length: > 0 } ip ? ip : "127.0.0.1",
        };
        var kubernetes = new Option<bool>("--kubernetes")
        {
            Description = "Run as a Kubernetes pod: address, name and cluster ids from the pod (Orleans' Kubernetes hosting; see deploy/kubernetes)",
        };
        var siloPort = new Option<int>("--silo-port") { Description = "Port for silo-to-silo traffic (0: a free one)", DefaultValueFactory = _ => 0 };
        var gatewayPort = new Option<int>("--gateway-port") { Description = "Port clients connect to (0: a free one)", DefaultValueFactory = _ => 0 };
        var metricsPort = new Option<int>("--metrics-port") { Description = "Port of the Prometheus /metrics page (0: a free one, printed at start)", DefaultValueFactory = _ => 0 };
        var load = new LlmModelArguments();
        var command = new Command("silo",
            "Join the cluster and take leases of submitted extraction jobs until stopped (Ctrl+C); kill -9 loses nothing but the lease in hand, which another silo retakes once it expires")
        {
            cluster, model, parallel, prompts, context, address, kubernetes, siloPort, gatewayPort, metricsPort,
        };
        foreach (var option in load.All) command.Options.Add(option);
        command.SetAction(async (ParseResult parse, CancellationToken cancellation) =>
        {
            var output = new CommandOutput(json: false, verbose: parse.GetValue(MenderCli.Verbose));
            var conn = parse.GetValue(cluster) is { Length: > 0 } given ? given : throw new CliUserException("give --cluster CONN (or set MENDER_CLUSTER)");
            var ip = Address(parse.GetValue(address)!);
            foreach (var (option, value) in new[] { (siloPort, parse.GetValue(siloPort)), (gatewayPort, parse.GetValue(gatewayPort)), (metricsPort, parse.GetValue(metricsPort)) })
                if (value is < 0 or > 65535) throw new ArgumentException($"{option.Name} must be a port 0..65535 (got {value})");
            var library = PromptLibrary.Load(parse.GetValue(prompts));
            var modelPath = parse.GetValue(model);
            var threads = parse.GetValue(load.Threads);
            var inFlight = parse.GetValue(parallel) ?? (modelPath is null ? (threads > 0 ? threads : Environment.ProcessorCount) : 4);
            if (inFlight < 1) throw new ArgumentException($"--parallel must be at least 1 (got {inFlight})");
            using var connection = await ClusterConnection.OpenAsync(conn, cancellation);
            using var client = modelPath is null ? null : PreferenceCommands.OpenModel(modelPath, new LocalChatClientOptions
            {
                ParallelRequests = inFlight,
                ContextLength = parse.GetValue(context),
                Model = load.Read(parse),
            }, output);
            var hosted = client is null
                ? new SiloExtractor(LexiconPreferenceExtractor.For, library, inFlight, $"the built-in extractor ({LexiconPreferenceExtractor.ExtractorName})")
                : new SiloExtractor(_ => new ChatPreferenceExtractor(client, library, client.ModelId), library, inFlight,
                    $"model '{client.ModelId}' ({ChatPreferenceExtractor.ExtractorName})");
            await ClusterSilo.RunAsync(connection, hosted,
                new SiloEndpoints(ip, parse.GetValue(siloPort), parse.GetValue(gatewayPort), parse.GetValue(metricsPort), parse.GetValue(kubernetes)),
                line => output.Err.WriteLine(line), cancellation);
            return 0;
        });
        return command;
    }

    /// <summary>
    /// The address a silo advertises: as given, or for "auto" the host's first non-loopback IPv4 address, which in a
    /// container is the container's own (what other containers of the network reach it at).
    /// </summary>
    private static IPAddress Address(string text)
    {
        if (string.Equals(text, "auto", StringComparison.OrdinalIgnoreCase))
            return Dns.GetHostAddresses(Dns.GetHostName()).FirstOrDefault(a => a.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
                ?? throw new CliUserException($"--address auto: host '{Dns.GetHostName()}' has no non-loopback IPv4 address; give one");
        return IPAddress.TryParse(text, out var ip) ? ip : throw new ArgumentException($"--address '{text}' is not an IP address (or auto)");
    }

    /// <summary>The `--cluster CONN` option shared by the silo and by the commands that submit work.</summary>
    public static Option<string?> ClusterOption(bool required) => new("--cluster")
    {
        Description = "PostgreSQL connection string of the cluster (Host=…;Port=…;Username=…;Database=…), or localhost for a cluster on this machine",
        Required = required,
    };
}
