namespace Mender.Llm.Tokenizers;

/// <summary>
/// The pre-tokenizer of each <c>tokenizer.ggml.pre</c> name, and the decoding and BOS defaults that go with it
/// (following llama.cpp, which converts these names from the models' tokenizer.json).
/// </summary>
internal static class PreTokenizerCatalog
{
    public sealed record Entry(string[] Patterns, bool CleanSpaces = true, bool IgnoreMerges = false, bool AddBos = false, bool HasBos = true);

    private const string Gpt2 = @"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)";

    private const string Contractions = @"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])";

    private const string Llama3 = Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string Qwen2 = Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

    private const string CjkRuns = "[一-龥ࠀ-一가-퟿]+";

    private static readonly Entry Default = new([@"[\p{P}\$\+<=>\^~\|]+", Gpt2, @"\p{N}+", "[0-9][0-9][0-9]"]);

    private static readonly Dictionary<string, Entry> Entries = Build();

    /// <summary>The entry for a pre-tokenizer name; an absent name means llama.cpp's "default".</summary>
    public static Entry For(string? name)
    {
        if (string.IsNullOrEmpty(name)) return Default;
        return Entries.TryGetValue(name, out var entry)
            ? entry
            : throw new InvalidDataException($"unknown pre-tokenizer type '{name}' (tokenizer.ggml.pre)");
    }

    private static Dictionary<string, Entry> Build()
    {
        var d = new Dictionary<string, Entry>(StringComparer.Ordinal);
        void Add(Entry e, params string[] names)
        {
            foreach (var n in names) d[n] = e;
        }

        Add(Default, "default");
        Add(new([Llama3], IgnoreMerges: true, AddBos: true), "llama3", "llama-v3", "llama-bpe", "falcon3", "pixtral");
        Add(new([Llama3]), "dbrx", "smaug-bpe");
        Add(new([Llama3], HasBos: false), "chatglm-bpe", "glm4");
        Add(new([
            @"[\r\n]",
            "\\s?[A-Za-z\u00B5\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u01BA\u01BC-\u01BF\u01C4-\u0293\u0295-\u02AF\u0370-\u0373\u0376\u0377\u037B-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u048A-\u052F\u0531-\u0556\u10A0-\u10C5\u13A0-\u13F5\u13F8-\u13FD\u1C90-\u1CBA\u1CBD-\u1CBF\u1D00-\u1D2B\u1D6B-\u1D77\u1D79-\u1D9A\u1E00-\u1F15\u1F18-\u1F1D\u1F20-\u1F45\u1F48-\u1F4D\u1F50-\u1F57\u1F59\u1F5B\u1F5D\u1F5F-\u1F7D\u1F80-\u1FB4\u1FB6-\u1FBC\u1FBE\u1FC2-\u1FC4\u1FC6-\u1FCC\u1FD0-\u1FD3\u1FD6-\u1FDB\u1FE0-\u1FEC\u1FF2-\u1FF4\u1FF6-\u1FFC\u2102\u2107\u210A-\u2113\u2115\u2119-\u211D\u2124\u2126\u2128\u212A-\u212D\u212F-\u2134\u2139\u213C-\u213F\u2145-\u2149\u214E\u2183\u2184\u2C00-\u2C7B\u2C7E-\u2CE4\u2CEB-\u2CEE\u2CF2\u2CF3\uA640-\uA66D\uA680-\uA69B\uA722-\uA76F\uA771-\uA787\uA78B-\uA78E\uAB70-\uABBF\uFB00-\uFB06\uFB13-\uFB17\uFF21-\uFF3A\uFF41-\uFF5A𐐀-𐑏𐒰-𐓓𐓘-𐓻𐲀-𐲲𐳀-𐳲𑢠-𑣟𞤀-𞥃]+",
            @"\s?[!-/:-~！-／：-～‘-‟　-。]+",
            @"\s+$",
            CjkRuns,
            @"\p{N}+",
        ], CleanSpaces: false), "deepseek-llm");
        Add(new([@"[\r\n]", @"\s?\p{L}+", @"\s?\p{P}+", CjkRuns, @"\p{N}"], CleanSpaces: false), "deepseek-coder");
        Add(new([
            @"\p{N}{1,3}",
            "[一-龥぀-ゟ゠-ヿ]+",
            @"[!""#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~][A-Za-z]+|[^\r\n\p{L}\p{P}\p{S}]?[\p{L}\p{M}]+| ?[\p{P}\p{S}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ], CleanSpaces: false), "deepseek-v3");
        Add(new([@"[\p{P}\$\+<=>\^~\|]+", Gpt2, "[0-9][0-9][0-9]"]), "falcon");
        Add(new([@"\p{N}", Gpt2]), "starcoder", "refact", "codeshell", "exaone", "minerva-7b");
        Add(new([@"\p{N}", Gpt2], CleanSpaces: false), "command-r", "smollm");
        Add(new([Gpt2]), "gpt-2", "phi-2", "jina-es", "jina-de", "gigachat", "jina-v1-en", "jina-v2-es", "jina-v2-de",
            "jina-v2-code", "roberta-bpe", "mpt", "olmo", "jais", "exaone4", "modern-bert");
        Add(new([Qwen2], CleanSpaces: false), "qwen2", "deepseek-r1-qwen", "hunyuan", "grok-2");
        Add(new([Qwen2]), "stablelm2", "megrez");
        Add(new([@" ?[^(\s|.,!?…。，、।۔،)]+"], CleanSpaces: false), "poro-chat");
        Add(new([@" ?[^(\s|.,!?…。，、।۔،)]+"]), "bloom", "gpt3-finnish");
        Add(new([@" ?[^(\s|.,!?…。，、।۔،)]+", @"\p{N}"], CleanSpaces: false), "viking");
        Add(new([
            @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ], CleanSpaces: false, IgnoreMerges: true, AddBos: true), "tekken");
        Add(new([
            @"[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))*((?=[\p{L}])([^A-Z]))+" + Contractions + @"?|[^\r\n\p{L}\p{N}]?((?=[\p{L}])([^a-z]))+((?=[\p{L}])([^A-Z]))*" + Contractions + @"?|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n/]*|\s*[\r\n]+|\s+(?!\S)|\s+",
        ], CleanSpaces: false), "gpt-4o", "llama4");
        Add(new([
            Contractions + @"|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1}| ?[^\s\p{L}\p{N}\r\n]+|\s*[\r\n]+|\s+(?!\S)|\s+",
        ], CleanSpaces: false), "seed-coder");
        Add(new([
            @"'(?:[sSdDmMtT]|[lL][lL]|[vV][eE]|[rR][eE])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+",
        ], CleanSpaces: false), "bailingmoe", "bailingmoe2", "llada-moe");
        return d;
    }
}
