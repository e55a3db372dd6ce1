// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAttestationVerifier} from "../interfaces/IAttestationVerifier.sol";
import {ITEELivenessVerifier} from "../interfaces/ITEELivenessVerifier.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";
import {TEELivenessVerifierStorage} from "./TEELivenessVerifierStorage.sol";

/// @title Records that a TEE prover recently attested a BLS public key (same interface as Automata's).
/// @notice Behind a Proxy. Storage (contracts/layout/TEELivenessVerifier.tsv): slots 0-49 Initializable
///         and Ownable (both initialisation fields and the owner share slot 0, then the owner's 49-slot
///         gap), 50-99 TEELivenessVerifierStorage; each block ends in a gap.
contract TEELivenessVerifier is Initializable, Ownable, TEELivenessVerifierStorage {
    constructor() {
        _disableInitializers();
    }

    /// @inheritdoc ITEELivenessVerifier
    function initialize(address _initialOwner, address _attestationAddr, uint256 _maxBlockNumberDiff, uint256 _attestValiditySeconds)
        public
        initializer
    {
        _configure(_initialOwner, _attestationAddr, _maxBlockNumberDiff, _attestValiditySeconds);
    }

    /// @inheritdoc ITEELivenessVerifier
    function reinitialize(uint8 i, address _initialOwner, address _attestationAddr, uint256 _maxBlockNumberDiff, uint256 _attestValiditySeconds)
        public
        reinitializer(i)
    {
        _configure(_initialOwner, _attestationAddr, _maxBlockNumberDiff, _attestValiditySeconds);
    }

    function _configure(address o, address a, uint256 diff, uint256 validity) internal {
        _setAttestationVerifier(a);
        _setMaxBlockNumberDiff(diff);
        _setAttestValiditySeconds(validity);
        _transferOwnership(o);
    }

    /// @inheritdoc ITEELivenessVerifier
    function changeMaxBlockNumberDiff(uint256 _maxBlockNumberDiff) external onlyOwner {
        _setMaxBlockNumberDiff(_maxBlockNumberDiff);
    }

    /// @inheritdoc ITEELivenessVerifier
    function changeAttestationImpl(address _attestationAddr) external onlyOwner {
        _setAttestationVerifier(_attestationAddr);
    }

    /// @inheritdoc ITEELivenessVerifier
    function changeAttestValiditySeconds(uint256 val) external onlyOwner {
        _setAttestValiditySeconds(val);
    }

    function _setAttestationVerifier(address a) internal {
        emit AttestationVerifierUpdated(address(attestationVerifier), a);
        attestationVerifier = IAttestationVerifier(a);
    }

    function _setMaxBlockNumberDiff(uint256 diff) internal {
        emit MaxBlockNumberDiffUpdated(maxBlockNumberDiff, diff);
        maxBlockNumberDiff = diff;
    }

    function _setAttestValiditySeconds(uint256 validity) internal {
        emit AttestValiditySecondsUpdated(attestValiditySeconds, validity);
        attestValiditySeconds = validity;
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyMrEnclave(bytes32 _mrenclave) external view returns (bool) {
        return attestationVerifier.verifyMrEnclave(_mrenclave);
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyMrSigner(bytes32 _mrsigner) external view returns (bool) {
        return attestationVerifier.verifyMrSigner(_mrsigner);
    }

    /// @inheritdoc ITEELivenessVerifier
    function submitLivenessProofV2(ReportDataV2 calldata _data, bytes calldata _report) public payable {
        if (_data.referenceBlockNumber >= block.number) revert InvalidBlockNumber();
        if (block.number - _data.referenceBlockNumber >= maxBlockNumberDiff) revert BlockNumberOutOfDate();
        if (blockhash(_data.referenceBlockNumber) != _data.referenceBlockHash) revert BlockNumberMismatch();

        bytes32 dataHash = keccak256(abi.encode(_data));
        bytes memory reportData = attestationVerifier.verifyAttestation{value: msg.value}(_report);
        bytes32 reportHash = keccak256(_report);
        if (attestedReports[reportHash]) revert ReportAlreadyUsed();
        if (reportData.length != 64) revert INVALID_REPORT_DATA();
        bytes32 proverBytes;
        bytes32 reportDataHash;
        assembly {
            proverBytes := mload(add(reportData, 0x20))
            reportDataHash := mload(add(reportData, 0x40))
        }
        if (reportDataHash != dataHash) revert REPORT_DATA_MISMATCH(reportData);

        bytes32 proverKey = keccak256(abi.encode(_data.pubkey.x, _data.pubkey.y));
        address prover = address(uint160(uint256(proverBytes)));
        attestedProvers[proverKey] = Prover(_data.pubkey, block.timestamp);
        attestedProverAddr[proverKey] = prover;
        attestedReports[reportHash] = true;
        emit LivenessProofSubmitted(proverKey, prover, _data.pubkey.x, _data.pubkey.y, reportHash, block.timestamp);
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY) public view returns (bool) {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        return attestedProvers[key].time + attestValiditySeconds > block.timestamp;
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyLivenessProofV2(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey) public view returns (bool) {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        return attestedProvers[key].time + attestValiditySeconds > block.timestamp && attestedProverAddr[key] == proverKey;
    }

    /// @inheritdoc ITEELivenessVerifier
    function verifyAttestationV2(bytes32 pubkeyX, bytes32 pubkeyY, bytes calldata data) public returns (bool) {
        bytes memory reportData = attestationVerifier.verifyAttestation(data);
        if (reportData.length != 64) return false;
        bytes32 a;
        bytes32 b;
        assembly {
            a := mload(add(reportData, 0x20))
            b := mload(add(reportData, 0x40))
        }
        return a == pubkeyX && b == pubkeyY;
    }

    /// @inheritdoc ITEELivenessVerifier
    function estimateBaseFeeVerifyOnChain(bytes calldata rawQuote) external payable returns (uint256) {
        return attestationVerifier.estimateBaseFeeVerifyOnChain{value: msg.value}(rawQuote);
    }
}
