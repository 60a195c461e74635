using System.CommandLine;
using Mender.Benchmark.Results;
using Spectre.Console;

namespace Mender.Cli.Commands;

/// <summary>`mender results table`: the README's results tables, rendered from saved result files.</summary>
internal static class ResultsCommands
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Description = "Result files (`mender eval --save`, report.json of `mender bench run`) or folders holding them", Arity = ArgumentArity.OneOrMore };
        var json = CommandOutput.JsonOption();
        var table = new Command("table", "Render the results tables (Markdown) from result files: one row per method and dataset, mean ± sd over seeds")
        {
            paths, json,
        };
        table.SetAction((ParseResult parse) =>
        {
            var output = CommandOutput.For(parse, json);
            var (evaluations, benchmarks) = ResultsTable.Read(parse.GetValue(paths)!.Select(Path.GetFullPath));
            if (evaluations.Count == 0 && benchmarks.Count == 0) throw new CliUserException("no result files found: write them with `mender eval --save FILE` or `mender bench run`");
            var markdown = ResultsTable.Markdown(evaluations, benchmarks);
            output.Result(new { markdown, evaluations = evaluations.Count, benchmarks = benchmarks.Count }, console => console.Write(new Text(markdown)));
            return 0;
        });
        return new Command("results", "Results saved by eval and bench runs") { table };
    }
}
