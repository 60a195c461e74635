namespace Mender.Preference.Prompts;

/// <summary>
/// The preference prompts, read from text files at run time: by default the <c>prompts/</c> folder shipped beside the
/// binary, or any folder given with <c>--prompts DIR</c> (which must hold the same file names).
/// </summary>
public sealed class PromptLibrary
{
    public const string ExtractionFile = "preference-extraction.txt";
    public const string SentimentFile = "preference-sentiment.txt";

    private PromptLibrary(string directory, PromptTemplate extraction, PromptTemplate sentiment)
    {
        Directory = directory;
        Extraction = extraction;
        Sentiment = sentiment;
    }

    /// <summary>The folder the prompts came from.</summary>
    public string Directory { get; }

    /// <summary>Placeholders: <c>{{reviews}}</c> (the rendered review window) and <c>{{max_preferences}}</c>.</summary>
    public PromptTemplate Extraction { get; }

    /// <summary>Placeholder: <c>{{preferences}}</c> (numbered lines, one preference each).</summary>
    public PromptTemplate Sentiment { get; }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "prompts");

    public static PromptLibrary Load(string? directory = null)
    {
        var dir = Path.GetFullPath(directory ?? DefaultDirectory);
        if (!System.IO.Directory.Exists(dir))
            throw new DirectoryNotFoundException($"prompt folder '{dir}' does not exist");
        var extraction = Read(dir, ExtractionFile);
        extraction.Require("reviews", "max_preferences");
        var sentiment = Read(dir, SentimentFile);
        sentiment.Require("preferences");
        return new PromptLibrary(dir, extraction, sentiment);
    }

    private static PromptTemplate Read(string dir, string file)
    {
        var path = Path.Combine(dir, file);
        if (!File.Exists(path))
            throw new FileNotFoundException($"prompt file '{file}' is missing from '{dir}'", path);
        var text = File.ReadAllText(path).Replace("\r\n", "\n");
        if (string.IsNullOrWhiteSpace(text))
            throw new InvalidDataException($"prompt file '{path}' is empty");
        return new PromptTemplate(file, text);
    }
}
