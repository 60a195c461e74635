using Mender.Preference.Extraction;
using Mender.Preference.Prompts;
using Mender.Data;

namespace Mender.Cluster.Silo;

/// <summary>
/// The extractor a silo hosts: the built-in lexicon extractor (made per dataset, since it reads the dataset's items)
/// or an LLM loaded once at start. <see cref="Describe"/> names it for the error when a job wants another.
/// </summary>
public sealed record SiloExtractor(Func<Dataset, IPreferenceExtractor> For, PromptLibrary Prompts, int Parallelism, string Describe);
