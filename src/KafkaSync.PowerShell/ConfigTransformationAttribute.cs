using System.Collections;
using System.Management.Automation;
using KafkaSync.Engine.Configuration;

namespace KafkaSync.PowerShell;

/// <summary>
/// Lets a parameter of an options type take a hashtable whose keys are the JSON config's fields
/// (<c>-Config @{ kafka = @{ topic = 'metrics' } }</c>) as well as the options object itself.
/// A bad value fails the binding with the field named.
/// </summary>
/// <param name="optionsType">The parameter's options type.</param>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ConfigTransformationAttribute(Type optionsType) : ArgumentTransformationAttribute
{
    /// <summary>The parameter's options type.</summary>
    public Type OptionsType { get; } = optionsType;

    /// <inheritdoc />
    public override object? Transform(EngineIntrinsics engineIntrinsics, object? inputData)
    {
        var value = inputData is PSObject wrapped ? wrapped.BaseObject : inputData;
        if (value is not IDictionary)
        {
            return inputData; // an options object, or something binding reports as the wrong type
        }

        try
        {
            return ConfigValues.FromValues(value, OptionsType, "-Config");
        }
        catch (OptionsException ex)
        {
            throw new ArgumentTransformationMetadataException(ex.Message, ex);
        }
    }
}
