// Every layer class name that Keras 1, 2 (tf.keras) and 3 and TensorFlow.js write, implemented or not.
// It tells a file that uses a Keras layer xkeras lacks ("not implemented yet": our gap) from a file that
// uses the author's own class (register it: the user's part), and which classes are Keras's own
// (written with module "keras.layers"). keras_layers_not_implemented() subtracts what is registered.
#include <algorithm>
#include <set>

#include "xkeras/registry.hpp"

namespace xkeras {

namespace {

const std::set<std::string>& catalog() {
  static const std::set<std::string> names = {
      // Keras 3 keras.layers
      "Activation", "ActivityRegularization", "Add", "AdditiveAttention", "AlphaDropout", "Attention", "AugMix",
      "AutoContrast", "Average", "AveragePooling1D", "AveragePooling2D", "AveragePooling3D", "BatchNormalization",
      "Bidirectional", "CategoryEncoding", "CenterCrop", "Concatenate", "Conv1D", "Conv1DTranspose", "Conv2D",
      "Conv2DTranspose", "Conv3D", "Conv3DTranspose", "ConvLSTM1D", "ConvLSTM2D", "ConvLSTM3D", "Cropping1D",
      "Cropping2D", "Cropping3D", "CutMix", "Dense", "DepthwiseConv1D", "DepthwiseConv2D", "Discretization", "Dot",
      "Dropout", "ELU", "EinsumDense", "Embedding", "Equalization", "Flatten", "FlaxLayer", "GaussianDropout",
      "GaussianNoise", "GlobalAveragePooling1D", "GlobalAveragePooling2D", "GlobalAveragePooling3D",
      "GlobalMaxPooling1D", "GlobalMaxPooling2D", "GlobalMaxPooling3D", "GroupNormalization", "GroupQueryAttention",
      "GRU", "GRUCell", "HashedCrossing", "Hashing", "Identity", "InputLayer", "IntegerLookup", "JaxLayer", "Lambda",
      "LayerNormalization", "LeakyReLU", "LSTM", "LSTMCell", "Masking", "Maximum", "MaxNumBoundingBoxes",
      "MaxPooling1D", "MaxPooling2D", "MaxPooling3D", "MelSpectrogram", "Minimum", "MixUp", "MultiHeadAttention",
      "Multiply", "Normalization", "Permute", "Pipeline", "PReLU", "RandAugment", "RandomBrightness",
      "RandomColorDegeneration", "RandomColorJitter", "RandomContrast", "RandomCrop", "RandomElasticTransform",
      "RandomErasing", "RandomFlip", "RandomGaussianBlur", "RandomGrayscale", "RandomHue", "RandomInvert",
      "RandomPerspective", "RandomPosterization", "RandomRotation", "RandomSaturation", "RandomSharpness",
      "RandomShear", "RandomTranslation", "RandomZoom", "ReLU", "RepeatVector", "Rescaling", "Reshape", "Resizing",
      "RMSNormalization", "ReversibleEmbedding", "RNN", "SeparableConv1D", "SeparableConv2D", "SimpleRNN",
      "SimpleRNNCell", "Softmax", "Solarization", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
      "SpectralNormalization", "StackedRNNCells", "STFTSpectrogram", "StringLookup", "Subtract", "TextVectorization",
      "TFSMLayer", "TimeDistributed", "TorchModuleWrapper", "UnitNormalization", "UpSampling1D", "UpSampling2D",
      "UpSampling3D", "Wrapper", "ZeroPadding1D", "ZeroPadding2D", "ZeroPadding3D",
      // Keras 3 aliases
      "AvgPool1D", "AvgPool2D", "AvgPool3D", "Convolution1D", "Convolution2D", "Convolution3D",
      "Convolution1DTranspose", "Convolution2DTranspose", "Convolution3DTranspose", "GlobalAvgPool1D",
      "GlobalAvgPool2D", "GlobalAvgPool3D", "GlobalMaxPool1D", "GlobalMaxPool2D", "GlobalMaxPool3D", "MaxPool1D",
      "MaxPool2D", "MaxPool3D", "SeparableConvolution1D", "SeparableConvolution2D",
      // tf.keras 2.x only
      "ThresholdedReLU", "LocallyConnected1D", "LocallyConnected2D", "CuDNNGRU", "CuDNNLSTM", "DenseFeatures",
      "SyncBatchNormalization", "BatchNormalizationV1", "BatchNormalizationV2", "UnifiedGRU", "UnifiedLSTM",
      "RandomHeight", "RandomWidth", "AbstractRNNCell", "PeepholeLSTMCell", "Highway", "MaxoutDense",
      // Keras 1
      "Merge", "TimeDistributedDense", "AtrousConvolution1D", "AtrousConvolution2D", "Deconvolution2D",
      "SeparableConvolution2D", "SReLU",
      // models and the input
      "Sequential", "Functional", "Model"};
  return names;
}

}  // namespace

bool is_keras_layer_class(const std::string& class_name) { return catalog().count(class_name) > 0; }

std::vector<std::string> keras_layers_not_implemented() {
  std::vector<std::string> out;
  for (const auto& n : catalog())
    if (!has_layer(n)) out.push_back(n);
  return out;
}

}  // namespace xkeras
