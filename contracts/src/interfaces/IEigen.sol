// SPDX-License-Identifier: MIT
pragma solidity ^0.8.12;

import {BN254} from "../libraries/BN254.sol";

interface IERC20 {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    function totalSupply() external view returns (uint256);
    function balanceOf(address) external view returns (uint256);
    function transfer(address to, uint256 amount) external returns (bool);
    function allowance(address owner, address spender) external view returns (uint256);
    function approve(address spender, uint256 amount) external returns (bool);
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
}

interface IStrategy {
    function deposit(IERC20 token, uint256 amount) external returns (uint256);
    function underlyingToken() external view returns (IERC20);
    function totalShares() external view returns (uint256);
    function sharesToUnderlyingView(uint256 shares) external view returns (uint256);
}

interface ISignatureUtils {
    struct SignatureWithExpiry {
        bytes signature;
        uint256 expiry;
    }

    struct SignatureWithSaltAndExpiry {
        bytes signature;
        bytes32 salt;
        uint256 expiry;
    }
}

interface IStrategyManager {
    function getDeposits(address staker) external view returns (IStrategy[] memory, uint256[] memory);
}

interface IDelegationManager {
    struct OperatorDetails {
        address earningsReceiver;
        address delegationApprover;
        uint32 stakerOptOutWindowBlocks;
    }

    function isOperator(address) external view returns (bool);
    function getOperatorShares(address operator, IStrategy[] memory strategies) external view returns (uint256[] memory);
    function minWithdrawalDelayBlocks() external view returns (uint256);
    function increaseDelegatedShares(address staker, IStrategy strategy, uint256 shares) external;
}

interface IAVSDirectory {
    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory sig) external;
    function deregisterOperatorFromAVS(address operator) external;
    function updateAVSMetadataURI(string calldata uri) external;
}

interface IServiceManager {
    function registerOperatorToAVS(address operator, ISignatureUtils.SignatureWithSaltAndExpiry memory sig) external;
    function deregisterOperatorFromAVS(address operator) external;
}

interface IStakeRegistryTypes {
    struct StrategyParams {
        IStrategy strategy;
        uint96 multiplier;
    }

    struct StakeUpdate {
        uint32 updateBlockNumber;
        uint32 nextUpdateBlockNumber;
        uint96 stake;
    }
}

interface IStakeRegistry is IStakeRegistryTypes {
    function delegation() external view returns (IDelegationManager);
    function registerOperator(address operator, bytes32 operatorId, bytes calldata quorumNumbers)
        external returns (uint96[] memory, uint96[] memory);
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external;
    function updateOperatorStake(address operator, bytes32 operatorId, bytes calldata quorumNumbers) external returns (uint192);
    function initializeQuorum(uint8 quorumNumber, uint96 minimumStake, StrategyParams[] memory strategyParams) external;
    function getTotalStakeHistoryLength(uint8 quorumNumber) external view returns (uint256);
    function getTotalStakeAtBlockNumberFromIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (uint96);
    function getStakeAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, bytes32 operatorId, uint256 index) external view returns (uint96);
    function getStakeAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint96);
    function getTotalStakeIndicesAtBlockNumber(uint32 blockNumber, bytes calldata quorumNumbers) external view returns (uint32[] memory);
    function getStakeUpdateIndexAtBlockNumber(bytes32 operatorId, uint8 quorumNumber, uint32 blockNumber) external view returns (uint32);
    function strategyParamsLength(uint8 quorumNumber) external view returns (uint256);
    function strategyParamsByIndex(uint8 quorumNumber, uint256 index) external view returns (StrategyParams memory);
}

interface IBLSApkRegistryTypes {
    struct ApkUpdate {
        bytes24 apkHash;
        uint32 updateBlockNumber;
        uint32 nextUpdateBlockNumber;
    }

    struct PubkeyRegistrationParams {
        BN254.G1Point pubkeyRegistrationSignature;
        BN254.G1Point pubkeyG1;
        BN254.G2Point pubkeyG2;
    }
}

interface IBLSApkRegistry is IBLSApkRegistryTypes {
    function registerBLSPublicKey(address operator, PubkeyRegistrationParams calldata params, BN254.G1Point calldata h)
        external returns (bytes32);
    function registerOperator(address operator, bytes calldata quorumNumbers) external;
    function deregisterOperator(address operator, bytes calldata quorumNumbers) external;
    function initializeQuorum(uint8 quorumNumber) external;
    function getOperatorId(address operator) external view returns (bytes32);
    function getOperatorFromPubkeyHash(bytes32 pubkeyHash) external view returns (address);
    function getApkHashAtBlockNumberAndIndex(uint8 quorumNumber, uint32 blockNumber, uint256 index) external view returns (bytes24);
    function getApkIndicesAtBlockNumber(bytes calldata quorumNumbers, uint256 blockNumber) external view returns (uint32[] memory);
}

interface IIndexRegistry {
    function registerOperator(bytes32 operatorId, bytes calldata quorumNumbers) external returns (uint32[] memory);
    function deregisterOperator(bytes32 operatorId, bytes calldata quorumNumbers) external;
    function initializeQuorum(uint8 quorumNumber) external;
    function totalOperatorsForQuorum(uint8 quorumNumber) external view returns (uint32);
    function getOperatorListAtBlockNumber(uint8 quorumNumber, uint32 blockNumber) external view returns (bytes32[] memory);
}

interface IRegistryCoordinatorTypes {
    enum OperatorStatus {
        NEVER_REGISTERED,
        REGISTERED,
        DEREGISTERED
    }

    struct OperatorInfo {
        bytes32 operatorId;
        OperatorStatus status;
    }

    struct QuorumBitmapUpdate {
        uint32 updateBlockNumber;
        uint32 nextUpdateBlockNumber;
        uint192 quorumBitmap;
    }

    struct OperatorSetParam {
        uint32 maxOperatorCount;
        uint16 kickBIPsOfOperatorStake;
        uint16 kickBIPsOfTotalStake;
    }

    struct OperatorKickParam {
        uint8 quorumNumber;
        address operator;
    }
}

interface IRegistryCoordinator is IRegistryCoordinatorTypes {
    function owner() external view returns (address);
    function quorumCount() external view returns (uint8);
    function stakeRegistry() external view returns (IStakeRegistry);
    function blsApkRegistry() external view returns (IBLSApkRegistry);
    function indexRegistry() external view returns (IIndexRegistry);
    function getOperatorStatus(address operator) external view returns (OperatorStatus);
    function getCurrentQuorumBitmap(bytes32 operatorId) external view returns (uint192);
    function quorumUpdateBlockNumber(uint8 quorumNumber) external view returns (uint256);
    function getQuorumBitmapAtBlockNumberByIndex(bytes32 operatorId, uint32 blockNumber, uint256 index) external view returns (uint192);
    function getQuorumBitmapIndicesAtBlockNumber(uint32 blockNumber, bytes32[] memory operatorIds) external view returns (uint32[] memory);
    function getOperatorFromId(bytes32 operatorId) external view returns (address);
}
