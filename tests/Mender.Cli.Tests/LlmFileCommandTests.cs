using System.Text.Json;
using Mender.TestSupport;

namespace Mender.Cli.Tests;

/// <summary>`mender llm info|tokenize|make-random` and `mender llm chat`, run as a process.</summary>
public sealed class LlmFileCommandTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("mender-cli-llm-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [SharedFact]
    public void InfoPrintsTheHeaderAndTensorTable()
    {
        var result = CliRunner.Run("llm", "info", SharedData.PathOf("models/tiny/stories260K.gguf"), "--json");
        Assert.Equal(0, result.ExitCode);
        var doc = result.Json();
        Assert.Equal("llama", doc.GetProperty("architecture").GetString());
        Assert.Equal(3, doc.GetProperty("version").GetInt32());
        Assert.Equal(48, doc.GetProperty("tensor_count").GetInt32());
        Assert.Equal("[512] <unk>, <s>, </s>, <0x00>, <0x01>, <0x02>, <0x03>, <0x04>, ...", doc.GetProperty("metadata").GetProperty("tokenizer.ggml.tokens").GetString());
        var human = CliRunner.Run("llm", "info", SharedData.PathOf("models/tiny/stories260K.gguf"));
        Assert.Equal(0, human.ExitCode);
        Assert.Contains("token_embd.weight", human.Stdout);
    }

    [Fact]
    public void CorruptFilesAreUserErrors()
    {
        var path = Path.Combine(folder, "bad.gguf");
        File.WriteAllBytes(path, "GGUF\u0003\0\0\0 not really"u8.ToArray());
        var result = CliRunner.Run("llm", "info", path);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("bad.gguf", result.Stderr);
        Assert.Equal(1, CliRunner.Run("llm", "info", Path.Combine(folder, "missing.gguf")).ExitCode);
    }

    [SharedFact]
    public void TokenizeGivesIdsAndPieces()
    {
        var result = CliRunner.Run("llm", "tokenize", SharedData.PathOf("models/vocab/ggml-vocab-qwen2.gguf"), "Hello world", "--json");
        Assert.Equal(0, result.ExitCode);
        var ids = result.Json().GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        Assert.Equal([9707, 1879], ids);
        var special = CliRunner.Run("llm", "tokenize", SharedData.PathOf("models/vocab/ggml-vocab-qwen2.gguf"), "<|im_start|>", "--parse-special", "--json");
        Assert.Equal([151644], special.Json().GetProperty("ids").EnumerateArray().Select(e => e.GetInt32()).ToArray());
    }

    [SharedFact]
    public void MakeRandomWritesAModelThatChatsInJson()
    {
        var model = Path.Combine(folder, "tiny.gguf");
        var made = CliRunner.Run("llm", "make-random", "--arch", "qwen2", "--shape", "tiny", "--type", "q4_0",
            "--vocab-from", SharedData.PathOf("models/vocab/ggml-vocab-qwen2.gguf"), model, "--json");
        Assert.Equal(0, made.ExitCode);
        Assert.Equal("Q4_0", made.Json().GetProperty("type").GetString());
        Assert.Equal(151936, made.Json().GetProperty("vocab_size").GetInt32());

        var schema = Path.Combine(folder, "schema.json");
        File.WriteAllText(schema, """{"type":"object","properties":{"likes":{"type":"array","items":{"type":"string","maxLength":12},"maxItems":3}},"required":["likes"]}""");
        var chat = CliRunner.Run("llm", "chat", model, "--prompt", "What do I like?", "--json-schema", schema, "-n", "120", "--seed", "4", "--json");
        Assert.Equal(0, chat.ExitCode);
        var text = chat.Json().GetProperty("text").GetString()!;
        using var answer = JsonDocument.Parse(text);
        Assert.Equal(JsonValueKind.Array, answer.RootElement.GetProperty("likes").ValueKind);

        var bad = CliRunner.Run("llm", "make-random", "--arch", "gpt9", "--shape", "tiny",
            "--vocab-from", SharedData.PathOf("models/vocab/ggml-vocab-qwen2.gguf"), model);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("gpt9", bad.Stderr);
    }

    [SharedFact]
    public void APromptLongerThanTheContextIsAUserError()
    {
        var model = SharedData.PathOf("models/tiny/stories260K.gguf");
        var prompt = string.Join(' ', Enumerable.Repeat("Once upon a time there was a cat.", 400));
        var generate = CliRunner.Run("llm", "generate", model, "--prompt", prompt, "-n", "5");
        Assert.Equal(1, generate.ExitCode);
        Assert.Contains("does not fit the context of 2048 tokens", generate.Stderr);
        var logits = CliRunner.Run("llm", "logits", model, "--tokens", string.Join(',', Enumerable.Repeat("5", 3000)));
        Assert.Equal(1, logits.ExitCode);
        Assert.Contains("does not fit the context of 2048 tokens", logits.Stderr);
    }

    [SharedFact]
    public void ChatReadsTurnsFromStandardInput()
    {
        using var process = CliRunner.Start(folder, "llm", "chat", SharedData.PathOf("models/tiny/stories260K.gguf"), "-n", "10", "--temperature", "0");
        process.StandardInput.WriteLine("Once upon a time");
        process.StandardInput.WriteLine("/exit");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(2)));
        Assert.Equal(0, process.ExitCode);
        Assert.StartsWith(", there was", stdout.TrimStart());
    }
}
