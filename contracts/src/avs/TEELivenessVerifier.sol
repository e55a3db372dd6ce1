// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {IAttestationVerifier} from "./IAttestation.sol";
import {Initializable} from "../utils/Initializable.sol";
import {Ownable} from "../utils/Ownable.sol";

/// @title Records that a TEE prover recently attested a BLS public key (same interface as Automata's).
contract TEELivenessVerifier is Initializable, Ownable {
    struct Pubkey {
        bytes32 x;
        bytes32 y;
    }

    struct Prover {
        Pubkey pubkey;
        uint256 time;
    }

    struct ReportDataV2 {
        Pubkey pubkey;
        uint256 referenceBlockNumber;
        bytes32 referenceBlockHash;
        bytes32 proverAddressHash;
    }

    mapping(bytes32 => bool) public attestedReports;
    mapping(bytes32 => Prover) public attestedProvers;
    uint256 public attestValiditySeconds = 3600;
    IAttestationVerifier public attestationVerifier;
    uint256 public maxBlockNumberDiff;
    mapping(bytes32 => address) public attestedProverAddr;

    error INVALID_REPORT();
    error INVALID_REPORT_DATA();
    error REPORT_DATA_MISMATCH(bytes reportData);

    constructor() {
        _disableInitializers();
    }

    function initialize(address _initialOwner, address _attestationAddr, uint256 _maxBlockNumberDiff, uint256 _attestValiditySeconds)
        public
        initializer
    {
        _configure(_initialOwner, _attestationAddr, _maxBlockNumberDiff, _attestValiditySeconds);
    }

    function reinitialize(uint8 i, address _initialOwner, address _attestationAddr, uint256 _maxBlockNumberDiff, uint256 _attestValiditySeconds)
        public
        reinitializer(i)
    {
        _configure(_initialOwner, _attestationAddr, _maxBlockNumberDiff, _attestValiditySeconds);
    }

    function _configure(address o, address a, uint256 diff, uint256 validity) internal {
        attestationVerifier = IAttestationVerifier(a);
        maxBlockNumberDiff = diff;
        attestValiditySeconds = validity;
        _transferOwnership(o);
    }

    function changeMaxBlockNumberDiff(uint256 _maxBlockNumberDiff) external onlyOwner {
        maxBlockNumberDiff = _maxBlockNumberDiff;
    }

    function changeAttestationImpl(address _attestationAddr) external onlyOwner {
        attestationVerifier = IAttestationVerifier(_attestationAddr);
    }

    function changeAttestValiditySeconds(uint256 val) external onlyOwner {
        attestValiditySeconds = val;
    }

    function verifyMrEnclave(bytes32 _mrenclave) external view returns (bool) {
        return attestationVerifier.verifyMrEnclave(_mrenclave);
    }

    function verifyMrSigner(bytes32 _mrsigner) external view returns (bool) {
        return attestationVerifier.verifyMrSigner(_mrsigner);
    }

    /// @notice Verifies `_report` (a DCAP quote) whose REPORTDATA is 0^12 || prover address || keccak256(abi.encode(_data)),
    ///         and marks _data.pubkey live as of now.
    function submitLivenessProofV2(ReportDataV2 calldata _data, bytes calldata _report) public payable {
        require(_data.referenceBlockNumber < block.number, "invalid block number");
        require(block.number - _data.referenceBlockNumber < maxBlockNumberDiff, "block number out-of-date");
        require(blockhash(_data.referenceBlockNumber) == _data.referenceBlockHash, "block number mismatch");

        bytes32 dataHash = keccak256(abi.encode(_data));
        bytes memory reportData = attestationVerifier.verifyAttestation{value: msg.value}(_report);
        bytes32 reportHash = keccak256(_report);
        require(!attestedReports[reportHash], "report is already used");
        if (reportData.length != 64) revert INVALID_REPORT_DATA();
        bytes32 proverBytes;
        bytes32 reportDataHash;
        assembly {
            proverBytes := mload(add(reportData, 0x20))
            reportDataHash := mload(add(reportData, 0x40))
        }
        if (reportDataHash != dataHash) revert REPORT_DATA_MISMATCH(reportData);

        bytes32 proverKey = keccak256(abi.encode(_data.pubkey.x, _data.pubkey.y));
        attestedProvers[proverKey] = Prover(_data.pubkey, block.timestamp);
        attestedProverAddr[proverKey] = address(uint160(uint256(proverBytes)));
        attestedReports[reportHash] = true;
    }

    function verifyLivenessProof(bytes32 pubkeyX, bytes32 pubkeyY) public view returns (bool) {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        return attestedProvers[key].time + attestValiditySeconds > block.timestamp;
    }

    function verifyLivenessProofV2(bytes32 pubkeyX, bytes32 pubkeyY, address proverKey) public view returns (bool) {
        bytes32 key = keccak256(abi.encode(pubkeyX, pubkeyY));
        return attestedProvers[key].time + attestValiditySeconds > block.timestamp && attestedProverAddr[key] == proverKey;
    }

    /// @notice Legacy check: the quote's 64-byte REPORTDATA equals x || y.
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

    function estimateBaseFeeVerifyOnChain(bytes calldata rawQuote) external payable returns (uint256) {
        return attestationVerifier.estimateBaseFeeVerifyOnChain{value: msg.value}(rawQuote);
    }
}
