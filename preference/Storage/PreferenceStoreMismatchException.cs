namespace Mender.Preference.Storage;

/// <summary>
/// A preference store holds rows of another dataset, or made by another extractor, than the run that opened it: mixing
/// them would give users preferences from two sources. A caller can suggest a fresh store. (InvalidDataException, what
/// the store threw before, is sealed; an IOException is still an error of the files given, not of the program.)
/// </summary>
/// <param name="store">The store file.</param>
/// <param name="message">What differs.</param>
public sealed class PreferenceStoreMismatchException(string store, string message) : IOException(message)
{
    /// <summary>The store file.</summary>
    public string Store { get; } = store;
}
